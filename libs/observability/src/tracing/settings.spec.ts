import { ROOT_CONTEXT, SpanKind, trace, TraceFlags } from '@opentelemetry/api';
import type { Context } from '@opentelemetry/api';
import { SamplingDecision } from '@opentelemetry/sdk-trace';
import { samplerFor, tracingSettings, TracingSettingsError } from './settings';

const ENDPOINT = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' };
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

function parent(sampled: boolean): Context {
  return trace.setSpanContext(ROOT_CONTEXT, {
    traceId: TRACE_ID,
    spanId: '00f067aa0ba902b7',
    traceFlags: sampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
    isRemote: true,
  });
}

function decide(settings: Parameters<typeof samplerFor>[0], ctx: Context, traceId = TRACE_ID): SamplingDecision {
  return samplerFor(settings).shouldSample(ctx, traceId, 'span', SpanKind.SERVER, {}, []).decision;
}

describe('tracingSettings', () => {
  it('is off without an OTLP endpoint, so the apps run without a trace backend', () => {
    expect(tracingSettings('api', {}).enabled).toBe(false);
  });

  it('is on with an endpoint: parent-based ratio sampling at 1.0, the app as service, a 10 s export timeout', () => {
    expect(tracingSettings('api', ENDPOINT)).toEqual({
      enabled: true,
      serviceName: 'api',
      sampler: 'parentbased_traceidratio',
      ratio: 1,
      exportTimeoutMs: 10000,
    });
  });

  it('reads the standard variables: sampler, ratio, service name, timeouts, traces endpoint', () => {
    const s = tracingSettings('api', {
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces',
      OTEL_TRACES_SAMPLER: 'parentbased_always_on',
      OTEL_TRACES_SAMPLER_ARG: '0.25',
      OTEL_SERVICE_NAME: 'gateway-api',
      OTEL_EXPORTER_OTLP_TIMEOUT: '3000',
      OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: '2000',
    });
    expect(s).toEqual({ enabled: true, serviceName: 'gateway-api', sampler: 'parentbased_always_on', ratio: 0.25, exportTimeoutMs: 2000 });
  });

  it('is off when OTEL_SDK_DISABLED is true, whatever the endpoint', () => {
    expect(tracingSettings('api', { ...ENDPOINT, OTEL_SDK_DISABLED: 'true' }).enabled).toBe(false);
    expect(tracingSettings('api', { ...ENDPOINT, OTEL_SDK_DISABLED: 'false' }).enabled).toBe(true);
  });

  it.each([
    ['OTEL_TRACES_SAMPLER_ARG', '1.5'],
    ['OTEL_TRACES_SAMPLER_ARG', 'half'],
    ['OTEL_TRACES_SAMPLER', 'sometimes'],
    ['OTEL_EXPORTER_OTLP_ENDPOINT', 'not a url'],
    ['OTEL_EXPORTER_OTLP_TIMEOUT', '-1'],
  ])('refuses a malformed %s (%s), naming it', (name, value) => {
    expect(() => tracingSettings('api', { ...ENDPOINT, [name]: value })).toThrow(TracingSettingsError);
    expect(() => tracingSettings('api', { ...ENDPOINT, [name]: value })).toThrow(name);
  });
});

describe('samplerFor', () => {
  it('parent-based ratio: a root span is sampled by the ratio', () => {
    expect(decide({ sampler: 'parentbased_traceidratio', ratio: 1 }, ROOT_CONTEXT)).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    expect(decide({ sampler: 'parentbased_traceidratio', ratio: 0 }, ROOT_CONTEXT)).toBe(SamplingDecision.NOT_RECORD);
  });

  it('parent-based ratio: a child follows its parent whatever the ratio, so a message is traced whole or not at all', () => {
    expect(decide({ sampler: 'parentbased_traceidratio', ratio: 0 }, parent(true))).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    expect(decide({ sampler: 'parentbased_traceidratio', ratio: 1 }, parent(false))).toBe(SamplingDecision.NOT_RECORD);
  });

  it('ratio: decides by the trace id, so every process keeps the same traces and drops the same others', () => {
    const half = { sampler: 'parentbased_traceidratio' as const, ratio: 0.5 };
    const ids = Array.from({ length: 32 }, (_, i) => (BigInt(i + 1) * 0x9e3779b97f4a7c15n).toString(16).padStart(32, '0').slice(-32));
    const first = ids.map((id) => decide(half, ROOT_CONTEXT, id));
    const again = ids.map((id) => decide(half, ROOT_CONTEXT, id));
    expect(again).toEqual(first);
    expect(first).toContain(SamplingDecision.RECORD_AND_SAMPLED);
    expect(first).toContain(SamplingDecision.NOT_RECORD);
  });

  it('always_off and parentbased_always_off sample no root span', () => {
    expect(decide({ sampler: 'always_off', ratio: 1 }, ROOT_CONTEXT)).toBe(SamplingDecision.NOT_RECORD);
    expect(decide({ sampler: 'parentbased_always_off', ratio: 1 }, ROOT_CONTEXT)).toBe(SamplingDecision.NOT_RECORD);
    expect(decide({ sampler: 'parentbased_always_off', ratio: 1 }, parent(true))).toBe(SamplingDecision.RECORD_AND_SAMPLED);
  });
});
