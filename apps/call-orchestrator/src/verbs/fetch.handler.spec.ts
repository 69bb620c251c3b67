import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FetchCommand } from '@gw/flow';
import { generateWebhookSecret, OutboundAddressPolicy, outboundDispatcher, verifyWebhook } from '@gw/security';
import { FETCH_MAX_RESPONSE_BYTES, fetchHandler } from './fetch.handler';
import { FakeCallControl, FakeSession, fakeDeps, stepOf } from './test-support';

type Received = { method: string; url: string; headers: IncomingMessage['headers']; body: string };

/**
 * Project endpoints: /ok answers verbs, /error a 500, /not-json a 200 with a bad body, /moved a 302 to
 * /ok, /huge verbs past FETCH_MAX_RESPONSE_BYTES, /slow never.
 */
function startServer(): Promise<{ server: Server; base: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      if (path === '/ok') res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify([{ verb: 'say', text: 'Hi' }]));
      else if (path === '/error') res.writeHead(500).end('boom');
      else if (path === '/not-json') res.writeHead(200).end('<html>');
      else if (path === '/moved') res.writeHead(302, { location: '/ok' }).end();
      else if (path === '/huge') res.writeHead(200).end(JSON.stringify([{ verb: 'say', text: 'x'.repeat(FETCH_MAX_RESPONSE_BYTES) }]));
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received })),
  );
}

describe('fetch handler (redirect / actionHook)', () => {
  let srv: Awaited<ReturnType<typeof startServer>>;
  beforeAll(async () => {
    srv = await startServer();
  });
  afterAll(async () => {
    srv.server.closeAllConnections();
    await new Promise((r) => srv.server.close(r));
  });
  beforeEach(() => (srv.received.length = 0));

  const fetchCommand = (path: string, over: Partial<FetchCommand> = {}): FetchCommand => ({
    kind: 'fetch',
    step: stepOf('redirect'),
    purpose: 'redirect',
    url: `${srv.base}${path}`,
    method: 'POST',
    timeoutMs: 2000,
    body: { call_id: 'call_1', digits: '42', step_label: null },
    ...over,
  });

  it('POSTs the body as JSON and answers the parsed verbs of a 2xx', async () => {
    const s = new FakeSession();
    const result = await fetchHandler.execute(s, fetchCommand('/ok'), fakeDeps(new FakeCallControl()).deps);

    expect(result).toEqual({ kind: 'fetched', ok: true, verbs: [{ verb: 'say', text: 'Hi' }] });
    const [req] = srv.received;
    expect(req.method).toBe('POST');
    expect(JSON.parse(req.body)).toEqual({ call_id: 'call_1', digits: '42', step_label: null });
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.headers['user-agent']).toBe('telecom-gateway-flows/1');
    expect(req.headers['webhook-signature']).toBeUndefined();
    expect(s.scheduledVerbs).toEqual(['fetch']);
    expect(s.results).toBe(1);
  });

  it('sends a GET body as query parameters', async () => {
    const s = new FakeSession();
    await fetchHandler.execute(s, fetchCommand('/ok', { method: 'GET' }), fakeDeps(new FakeCallControl()).deps);
    const [req] = srv.received;
    expect(req.method).toBe('GET');
    expect(req.url).toBe('/ok?call_id=call_1&digits=42&step_label=');
    expect(req.body).toBe('');
  });

  it('signs the request with the project webhook secret, timestamped by the injected clock', async () => {
    const secret = generateWebhookSecret();
    const f = fakeDeps(new FakeCallControl(), secret);
    await fetchHandler.execute(new FakeSession(), fetchCommand('/ok'), f.deps);
    const [req] = srv.received;
    const nowSeconds = Math.floor(f.clock.ms / 1000);
    expect(verifyWebhook(secret, req.headers, req.body, { nowSeconds }).timestampSeconds).toBe(nowSeconds);
  });

  it.each([
    ['a non-2xx answer', '/error', 2000],
    ['a body that is not JSON', '/not-json', 2000],
    ['no answer within timeoutMs', '/slow', 200],
    ['a redirect (not followed)', '/moved', 2000],
    ['an answer larger than FETCH_MAX_RESPONSE_BYTES', '/huge', 2000],
  ])('answers not ok on %s', async (_what, path, timeoutMs) => {
    const s = new FakeSession();
    const result = await fetchHandler.execute(s, fetchCommand(path, { timeoutMs }), fakeDeps(new FakeCallControl()).deps);
    expect(result).toEqual({ kind: 'fetched', ok: false });
    // The end of the request is the result the next verb's scheduling latency counts from.
    expect(s.results).toBeGreaterThan(0);
  });

  it('refuses a URL on an address outside the public internet: nothing is sent, the timeline says why', async () => {
    const s = new FakeSession();
    const f = fakeDeps(new FakeCallControl());
    const strict = outboundDispatcher(new OutboundAddressPolicy());
    try {
      const result = await fetchHandler.execute(s, fetchCommand('/ok'), { ...f.deps, http: strict });
      expect(result).toEqual({ kind: 'fetched', ok: false });
    } finally {
      await strict.close();
    }
    expect(srv.received).toEqual([]);
    expect(s.timeline).toEqual([
      { kind: 'note', event: 'fetch.refused', detail: { reason: expect.stringMatching(/127\.0\.0\.1 is loopback/) as unknown } },
    ]);
    expect(s.results).toBe(1);
  });
});
