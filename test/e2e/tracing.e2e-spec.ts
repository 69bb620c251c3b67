import { TERMINAL } from '@gw/stack-client';
import { E2e, env, eventually, TestProject, uniqueNumber } from '../support/e2e';

/** A span as Jaeger's query API (`GET /api/traces/{traceId}`) returns it, with its service resolved. */
interface JaegerSpan {
  spanID: string;
  operationName: string;
  service: string;
  parentIds: string[];
  tags: Record<string, unknown>;
}

interface JaegerTrace {
  traceID: string;
  spans: Array<{
    spanID: string;
    operationName: string;
    processID: string;
    references?: Array<{ refType: string; spanID: string }>;
    tags?: Array<{ key: string; value: unknown }>;
  }>;
  processes: Record<string, { serviceName: string }>;
}

/** The spans Jaeger holds for `traceId` (32 hex digits), [] while it has none. */
async function traceSpans(traceId: string): Promise<JaegerSpan[]> {
  const res = await fetch(`${env('JAEGER_QUERY_URL')}/api/traces/${traceId}`, { signal: AbortSignal.timeout(5000) });
  if (res.status === 404) return [];
  if (!res.ok) throw new Error(`Jaeger answered ${res.status} for trace ${traceId}`);
  const body = (await res.json()) as { data: JaegerTrace[] };
  return body.data.flatMap((t) =>
    t.spans.map((s) => ({
      spanID: s.spanID,
      operationName: s.operationName,
      service: t.processes[s.processID]?.serviceName ?? '',
      parentIds: (s.references ?? []).filter((r) => r.refType === 'CHILD_OF').map((r) => r.spanID),
      tags: Object.fromEntries((s.tags ?? []).map((tag) => [tag.key, tag.value])),
    })),
  );
}

/** True when any of the span's HTTP attributes (route, path, target, URL) or its name contains `text`. */
function mentions(s: JaegerSpan, text: string): boolean {
  return [s.tags['http.route'], s.tags['url.path'], s.tags['http.target'], s.tags['url.full'], s.tags['http.url'], s.operationName].some(
    (v) => String(v ?? '').includes(text),
  );
}

/** The trace id of a stored W3C traceparent (`00-<trace id>-<span id>-<flags>`). */
function traceIdOf(traceparent: string | null): string {
  const m = /^00-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/.exec(traceparent ?? '');
  if (!m) throw new Error(`not a sampled W3C traceparent: ${traceparent}`);
  return m[1];
}

/**
 * Polls Jaeger until the trace holds a span matching each of `wanted` (spans are batched by the
 * apps and arrive within seconds), then returns all its spans.
 */
async function traceWith(traceId: string, wanted: Record<string, (s: JaegerSpan) => boolean>): Promise<JaegerSpan[]> {
  let last: JaegerSpan[] = [];
  try {
    return await eventually(
      async () => {
        last = await traceSpans(traceId);
        return Object.values(wanted).every((match) => last.some(match)) ? last : undefined;
      },
      45000,
      `spans of trace ${traceId}`,
      500,
    );
  } catch (err) {
    const missing = Object.keys(wanted).filter((name) => !last.some(wanted[name]));
    const seen = last.map((s) => `${s.service}: ${s.operationName}`).join(', ');
    throw new Error(`trace ${traceId} lacks ${missing.join(', ')}; it holds ${seen || 'nothing'}`, { cause: err });
  }
}

/** Traces through the whole stack, read back from the stack's Jaeger (the apps export to it: scripts/apps.sh). */
describe('tracing: one message and one call are one trace each in Jaeger', () => {
  const t = new E2e();
  let p: TestProject;

  beforeAll(async () => {
    await t.start();
    p = await t.project('tracing');
  });
  afterAll(() => t.stop());

  it('follows an SMS from the API request through relay, connector, receipt and callback in one trace', async () => {
    const msg = await p.gw.send({ to: uniqueNumber(), from: 'ACME', body: 'traced' });
    const final = await p.gw.waitFor(msg.id, (m) => TERMINAL.has(m.status), 60000);
    expect(final.status).toBe('delivered');
    await eventually(() => (p.receiver.about(msg.id).some((c) => c.data.status === 'delivered') ? true : undefined));

    const row = await t.db.query<{ traceparent: string | null }>('SELECT traceparent FROM messages WHERE id = $1', [msg.id]);
    const traceId = traceIdOf(row.rows[0].traceparent);
    const spans = await traceWith(traceId, {
      'the api request': (s) => s.service === 'api' && s.tags['span.kind'] === 'server' && mentions(s, '/v1/messages'),
      'the relay publish': (s) => s.service === 'workers' && s.operationName === 'send sms.outbound.v1',
      'the connector submit': (s) => s.service === 'sms-connector' && s.operationName.startsWith('process sms-submit'),
      'the receipt at the ingress': (s) =>
        s.service === 'webhook-ingress' && s.operationName === 'sms.receipt' && s.tags['gw.message.id'] === msg.id,
      'the callback': (s) => s.service === 'workers' && s.operationName.startsWith('process callbacks'),
      'the callback request': (s) => s.service === 'workers' && s.tags['span.kind'] === 'client' && mentions(s, p.receiver.url),
    });

    // The receipt is under the message's trace although Jasmin's DLR carried no context.
    const receipt = spans.find((s) => s.operationName === 'sms.receipt')!;
    expect(receipt.parentIds).toHaveLength(1);
    expect(spans.map((s) => s.spanID)).toContain(receipt.parentIds[0]);
  });

  it('puts the originate, every verb of a call and its status callbacks in the call trace, with their ARI requests as children', async () => {
    const flow = {
      version: 1,
      steps: [{ verb: 'say', text: 'Hello' }, { verb: 'pause', length: 1 }, { verb: 'say', text: 'Goodbye' }, { verb: 'hangup' }],
    };
    const placed = await p.gw.placeCall({ to: uniqueNumber(), from: p.number, flow });
    const call = await p.gw.waitForCall(placed.id);
    expect(call.status).toBe('completed');

    const row = await t.db.query<{ traceparent: string | null }>('SELECT traceparent FROM calls WHERE id = $1', [placed.id]);
    const traceId = traceIdOf(row.rows[0].traceparent);
    const verb = (name: string) => (s: JaegerSpan) =>
      s.service === 'call-orchestrator' && s.operationName === `verb ${name}` && s.tags['gw.call.id'] === placed.id;
    const spans = await traceWith(traceId, {
      'the api request': (s) => s.service === 'api' && s.tags['span.kind'] === 'server' && mentions(s, '/v1/calls'),
      'verb say': verb('say'),
      'verb pause': verb('pause'),
      'verb hangup': verb('hangup'),
      'the originate': (s) =>
        s.service === 'call-orchestrator' && s.operationName === 'call.originate' && s.tags['gw.call.id'] === placed.id,
      'a status callback': (s) => s.service === 'workers' && s.operationName.startsWith('process callbacks'),
    });

    expect(spans.filter(verb('say'))).toHaveLength(2);
    const verbIds = new Set(spans.filter((s) => s.operationName.startsWith('verb ')).map((s) => s.spanID));
    const ariRequests = spans.filter((s) => s.tags['span.kind'] === 'client' && s.parentIds.some((id) => verbIds.has(id)));
    expect(ariRequests.length).toBeGreaterThan(0);
    const originate = spans.find((s) => s.operationName === 'call.originate')!;
    expect(spans.filter((s) => s.tags['span.kind'] === 'client' && s.parentIds.includes(originate.spanID))).toHaveLength(1);
  });
});
