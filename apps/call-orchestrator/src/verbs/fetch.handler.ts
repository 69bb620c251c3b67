import { randomUUID } from 'node:crypto';
import { request } from 'undici';
import { OutboundAddressRefusedError, signWebhook, type WebhookSecret } from '@gw/security';
import type { VerbHandler } from './verb-handler';

/**
 * Largest answer a `fetch` reads, bytes (the dispatcher's `maxResponseBytes`): four times the api's
 * request body limit, within which every flow the api accepts fits.
 */
export const FETCH_MAX_RESPONSE_BYTES = 256 * 1024;

/**
 * `fetch` (the `redirect` verb, and the `actionHook` of gather/dial/record): sends the command's flat
 * `body` to the project's URL (JSON for POST, query parameters for GET), signed with the project's
 * webhook secret when it has one (Standard Webhooks headers), bounded by `timeoutMs`, through
 * `deps.http` (public addresses only, redirects not followed, answers up to FETCH_MAX_RESPONSE_BYTES).
 * Results: `fetched` ok with the parsed JSON body on a 2xx, else not ok (network error, timeout,
 * non-2xx, bad JSON, an answer too large, a refused address; the last noted as `fetch.refused` in the
 * timeline, since only the project can fix it).
 */
export const fetchHandler: VerbHandler<'fetch'> = {
  kind: 'fetch',
  async execute(s, c, deps) {
    const secret = await deps.store.webhookSecret(s.projectId);
    const body = JSON.stringify(c.body);
    const url = new URL(c.url);
    if (c.method === 'GET') for (const [k, v] of Object.entries(c.body)) url.searchParams.set(k, String(v ?? ''));
    const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'telecom-gateway-flows/1' };
    if (secret)
      Object.assign(
        headers,
        signWebhook(secret as WebhookSecret, randomUUID(), Math.floor(deps.now() / 1000), c.method === 'GET' ? '' : body),
      );
    s.scheduled('fetch');
    try {
      const res = await request(url, {
        method: c.method,
        headers,
        body: c.method === 'GET' ? undefined : body,
        signal: AbortSignal.timeout(c.timeoutMs),
        dispatcher: deps.http,
      });
      const text = await res.body.text();
      s.markResult();
      if (res.statusCode < 200 || res.statusCode >= 300) return { kind: 'fetched', ok: false };
      return { kind: 'fetched', ok: true, verbs: JSON.parse(text) as unknown };
    } catch (err) {
      s.markResult();
      if (err instanceof OutboundAddressRefusedError)
        s.queueTimeline({ kind: 'note', event: 'fetch.refused', detail: { reason: err.message } });
      return { kind: 'fetched', ok: false };
    }
  },
};
