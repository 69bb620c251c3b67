import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, TraceFlags } from '@opentelemetry/api';
import type { Attributes, Context, Link } from '@opentelemetry/api';

/** Header and column name of a stored trace context: W3C Trace Context `traceparent` (https://www.w3.org/TR/trace-context/). */
export const TRACEPARENT = 'traceparent';

/** Tracer of the gateway's own spans (the instrumentations name theirs). */
export const GATEWAY_TRACER = 'telecom-gateway';

/**
 * The W3C `traceparent` of the span active in `ctx` (e.g. `00-<32 hex trace id>-<16 hex span
 * id>-01`), written by the registered propagator, to store with a row that is picked up later by
 * another process. Null when tracing is off (no propagator registered), no span is active, or the
 * span is not sampled: an unsampled message is not traced downstream either.
 */
export function traceparentOf(ctx: Context = context.active()): string | null {
  const span = trace.getSpanContext(ctx);
  if (!span || (span.traceFlags & TraceFlags.SAMPLED) === 0) return null;
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  return carrier[TRACEPARENT] ?? null;
}

/**
 * The context a stored `traceparent` describes (a remote parent), read by the registered
 * propagator; the root context when it is absent or malformed, so work goes on untraced or in a
 * trace of its own.
 */
export function contextOf(traceparent: string | null | undefined): Context {
  if (!traceparent) return ROOT_CONTEXT;
  return propagation.extract(ROOT_CONTEXT, { [TRACEPARENT]: traceparent });
}

/** Runs `fn` with the stored `traceparent` as the active context (see contextOf). */
export function withTraceparent<T>(traceparent: string | null | undefined, fn: () => T): T {
  return context.with(contextOf(traceparent), fn);
}

/**
 * Runs `fn` inside the trace of the stored `traceparent` (e.g. a call's): under the active context
 * when it already belongs to that trace (a verb's span), else under the stored context, so what
 * `fn` writes (an outbox row) continues that trace whichever event caused it. Without a stored
 * context, under the active one.
 */
export function withinTrace<T>(traceparent: string | null | undefined, fn: () => T): T {
  const stored = trace.getSpanContext(contextOf(traceparent));
  if (!stored || trace.getSpanContext(context.active())?.traceId === stored.traceId) return fn();
  return context.with(contextOf(traceparent), fn);
}

/** A span of the gateway's own: its name, kind (default internal) and attributes. */
export interface SpanSpec {
  name: string;
  kind?: SpanKind;
  attributes?: Attributes;
}

/**
 * Runs `fn` inside a new span that is a child of the stored `traceparent` (the work belongs to that
 * message's or call's trace although it starts elsewhere, e.g. a carrier's receipt or a call's next
 * verb); the span active at the call, if any, is kept as a link. Without a stored context the span
 * is a child of the active one. The span ends when `fn` settles and records its error, which is
 * rethrown.
 */
export async function inSpanUnder<T>(traceparent: string | null | undefined, spec: SpanSpec, fn: () => Promise<T>): Promise<T> {
  const active = context.active();
  const parent = traceparent ? contextOf(traceparent) : active;
  const caller = trace.getSpanContext(active);
  const links: Link[] = traceparent && caller ? [{ context: caller }] : [];
  const span = trace
    .getTracer(GATEWAY_TRACER)
    .startSpan(spec.name, { kind: spec.kind ?? SpanKind.INTERNAL, attributes: spec.attributes, links }, parent);
  try {
    return await context.with(trace.setSpan(parent, span), fn);
  } catch (err) {
    span.recordException(err instanceof Error ? err : String(err));
    span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
    throw err;
  } finally {
    span.end();
  }
}
