export { startTracing, tracingSdk, tracingStarted } from './sdk';
export { traceFastifyRequests } from './fastify';
export { InMemoryTracing } from './in-memory';
export { samplerFor, tracingSettings, SAMPLERS, TracingSettingsError } from './settings';
export type { SamplerName, TracingSettings } from './settings';
export { contextOf, inSpanUnder, traceparentOf, withinTrace, withTraceparent, GATEWAY_TRACER, TRACEPARENT } from './context';
export type { SpanSpec } from './context';
export { QueryRedactionProcessor, redactQuery, REDACTED } from './redaction';
