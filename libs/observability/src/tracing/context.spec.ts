import { context, ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import type { Span } from '@opentelemetry/api';
import { contextOf, inSpanUnder, traceparentOf, withinTrace, withTraceparent } from './context';
import { InMemoryTracing } from './in-memory';

describe('traceparent round trip (W3C Trace Context through the registered propagator)', () => {
  const tracing = new InMemoryTracing();
  const finished = (name: string) => tracing.span(name);
  const tracer = () => trace.getTracer('spec');

  beforeAll(() => tracing.start());
  afterAll(() => tracing.stop());
  beforeEach(() => tracing.reset());

  it('stores the active span as a traceparent and restores it as the remote parent of the next span', async () => {
    const span = tracer().startSpan('api request');
    const stored = context.with(trace.setSpan(context.active(), span), () => traceparentOf());
    span.end();
    const { traceId, spanId } = span.spanContext();
    expect(stored).toBe(`00-${traceId}-${spanId}-01`);

    const restored = trace.getSpanContext(contextOf(stored))!;
    expect(restored).toMatchObject({ traceId, spanId, isRemote: true, traceFlags: TraceFlags.SAMPLED });

    await withTraceparent(stored, async () => {
      await Promise.resolve();
      tracer().startSpan('relay publish').end();
    });
    const child = await finished('relay publish');
    expect(child.spanContext().traceId).toBe(traceId);
    expect(child.parentSpanContext?.spanId).toBe(spanId);
  });

  it('runs work in a span of the stored trace, linked to the span it started in, and records its error', async () => {
    const accepted = tracer().startSpan('accepted');
    const stored = context.with(trace.setSpan(ROOT_CONTEXT, accepted), () => traceparentOf());
    accepted.end();
    const carrierRequest = tracer().startSpan('carrier request');
    await expect(
      context.with(trace.setSpan(ROOT_CONTEXT, carrierRequest), () =>
        inSpanUnder(stored, { name: 'sms.receipt' }, () => Promise.reject(new Error('db down'))),
      ),
    ).rejects.toThrow('db down');
    carrierRequest.end();

    const receipt = await finished('sms.receipt');
    expect(receipt.spanContext().traceId).toBe(accepted.spanContext().traceId);
    expect(receipt.parentSpanContext?.spanId).toBe(accepted.spanContext().spanId);
    expect(receipt.links.map((l) => l.context.spanId)).toEqual([carrierRequest.spanContext().spanId]);
    expect(receipt.status).toMatchObject({ code: 2, message: 'db down' });
  });

  it('writes within a stored trace: keeps an active span of that trace, else restores the stored context', () => {
    const call = tracer().startSpan('call');
    const stored = traceparentOf(trace.setSpan(ROOT_CONTEXT, call))!;
    const verb = tracer().startSpan('verb', {}, trace.setSpan(ROOT_CONTEXT, call));
    const other = tracer().startSpan('ari event');
    const activeIn = (span: Span) =>
      context.with(trace.setSpan(ROOT_CONTEXT, span), () => withinTrace(stored, () => trace.getSpanContext(context.active())!.spanId));

    expect(activeIn(verb)).toBe(verb.spanContext().spanId);
    expect(activeIn(other)).toBe(call.spanContext().spanId);
    expect(context.with(trace.setSpan(ROOT_CONTEXT, other), () => withinTrace(null, () => trace.getActiveSpan()))).toBe(other);
    [call, verb, other].forEach((s) => s.end());
  });

  it('stores nothing outside a span or for an unsampled one, and restores nothing from a malformed value', () => {
    expect(traceparentOf(ROOT_CONTEXT)).toBeNull();
    const unsampled = trace.setSpanContext(ROOT_CONTEXT, {
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      traceFlags: TraceFlags.NONE,
    });
    expect(traceparentOf(unsampled)).toBeNull();
    expect(trace.getSpanContext(contextOf('00-not-a-trace-01'))).toBeUndefined();
    expect(trace.getSpanContext(contextOf(null))).toBeUndefined();
  });
});
