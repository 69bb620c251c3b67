import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { traceparentOf } from './context';
import { traceFastifyRequests } from './fastify';
import { InMemoryTracing } from './in-memory';

describe('traceFastifyRequests (server spans, sampling first)', () => {
  const tracing = new InMemoryTracing();
  let app: FastifyInstance;
  /** What the handler saw: the traceparent it would store with its rows. */
  let stored: string | null | undefined;
  const spans = () => tracing.spans();

  beforeAll(async () => {
    tracing.start();
    app = Fastify();
    traceFastifyRequests(app, { enabled: true });
    app.post('/v1/items/:id', async (req) => {
      // Past an await, as a handler's queries are: the context must survive it.
      await new Promise((r) => setImmediate(r));
      stored = traceparentOf();
      return { id: (req.params as { id: string }).id };
    });
    app.get('/v1/broken', async () => {
      await new Promise((r) => setImmediate(r));
      throw new Error('disk on fire');
    });
    app.get('/health/ready', async () => {
      stored = traceparentOf();
      return { ok: true };
    });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await tracing.stop();
  });
  beforeEach(() => {
    tracing.reset();
    stored = undefined;
  });

  it('records one SERVER span named by route template, and runs the handler (past its awaits) inside it', async () => {
    const res = await app.inject({ method: 'POST', url: '/v1/items/42?token=secret', payload: { a: 1 } });
    expect(res.statusCode).toBe(200);
    const [span] = await spans();
    expect(span).toMatchObject({ name: 'POST /v1/items/:id', kind: SpanKind.SERVER });
    expect(span.attributes).toEqual({
      'http.request.method': 'POST',
      'http.route': '/v1/items/:id',
      'url.path': '/v1/items/42',
      'http.response.status_code': 200,
    });
    expect(stored).toBe(`00-${span.spanContext().traceId}-${span.spanContext().spanId}-01`);
  });

  it("continues the caller's trace from its traceparent header", async () => {
    const caller = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    await app.inject({ method: 'POST', url: '/v1/items/7', headers: { traceparent: caller }, payload: {} });
    const [span] = await spans();
    expect(span.spanContext().traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(span.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
  });

  it('does nothing more for an unsampled request: no span exported, no context for the handler', async () => {
    const unsampled = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00';
    const res = await app.inject({ method: 'POST', url: '/v1/items/9', headers: { traceparent: unsampled }, payload: {} });
    expect(res.statusCode).toBe(200);
    expect(await spans()).toEqual([]);
    expect(stored).toBeNull();
  });

  it('marks a thrown error and its 500 on the span', async () => {
    const res = await app.inject({ method: 'GET', url: '/v1/broken' });
    expect(res.statusCode).toBe(500);
    const [span] = await spans();
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: 'disk on fire' });
    expect(span.attributes['http.response.status_code']).toBe(500);
    expect(span.events.map((e) => e.name)).toEqual(['exception']);
  });

  it('leaves probes and scrapes untraced', async () => {
    await app.inject({ method: 'GET', url: '/health/ready' });
    expect(await spans()).toEqual([]);
    expect(stored).toBeNull();
  });

  it('names an unrouted request by its method only', async () => {
    const res = await app.inject({ method: 'GET', url: '/nowhere?x=1' });
    expect(res.statusCode).toBe(404);
    const [span] = await spans();
    expect(span.name).toBe('GET');
    expect(span.attributes['url.path']).toBe('/nowhere');
    expect(span.attributes['http.route']).toBeUndefined();
  });
});
