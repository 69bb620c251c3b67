import { z } from 'zod';
import { AlwaysOffSampler, AlwaysOnSampler, ParentBasedSampler, TraceIdRatioBasedSampler } from '@opentelemetry/sdk-trace';
import type { Sampler } from '@opentelemetry/sdk-trace';

/**
 * Sampler names of OTEL_TRACES_SAMPLER that the gateway accepts (OpenTelemetry "SDK environment
 * variables" specification). The `parentbased_*` ones follow the caller's decision when a request
 * or event carries a trace context, so one message or call is traced whole or not at all.
 */
export const SAMPLERS = [
  'parentbased_traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'traceidratio',
  'always_on',
  'always_off',
] as const;
export type SamplerName = (typeof SAMPLERS)[number];

/** Tracing settings of one process, read from OpenTelemetry's standard environment variables. */
export interface TracingSettings {
  /** False when OTEL_SDK_DISABLED is true or no OTLP endpoint is configured: nothing is started. */
  enabled: boolean;
  /** `service.name` of every span: OTEL_SERVICE_NAME, else the app's own name. */
  serviceName: string;
  sampler: SamplerName;
  /** Probability in [0, 1] of the `*traceidratio` samplers (OTEL_TRACES_SAMPLER_ARG, default 1.0 as the specification says). */
  ratio: number;
  /** OTEL_EXPORTER_OTLP_TRACES_TIMEOUT or OTEL_EXPORTER_OTLP_TIMEOUT: how long one export may take, ms (default 10000). */
  exportTimeoutMs: number;
}

/** Thrown when a tracing variable is malformed; the message names the variable, never a value of another one. */
export class TracingSettingsError extends Error {}

const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

const schema = z.object({
  OTEL_SDK_DISABLED: z.preprocess(blank, z.enum(['true', 'false', 'TRUE', 'FALSE', 'True', 'False']).optional()),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.preprocess(blank, z.url().optional()),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.preprocess(blank, z.url().optional()),
  OTEL_SERVICE_NAME: z.preprocess(blank, z.string().optional()),
  OTEL_TRACES_SAMPLER: z.preprocess(blank, z.enum(SAMPLERS).default('parentbased_traceidratio')),
  OTEL_TRACES_SAMPLER_ARG: z.preprocess(blank, z.coerce.number().min(0).max(1).default(1)),
  OTEL_EXPORTER_OTLP_TIMEOUT: z.preprocess(blank, z.coerce.number().int().positive().default(10000)),
  OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: z.preprocess(blank, z.coerce.number().int().positive().optional()),
});

/**
 * Reads the tracing settings of the app `appName` from `env`.
 * @throws TracingSettingsError naming each malformed variable (e.g. OTEL_TRACES_SAMPLER_ARG outside [0, 1]).
 */
export function tracingSettings(appName: string, env: NodeJS.ProcessEnv = process.env): TracingSettings {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new TracingSettingsError(
      `invalid tracing settings: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  const e = parsed.data;
  const endpoint = e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? e.OTEL_EXPORTER_OTLP_ENDPOINT;
  return {
    enabled: endpoint !== undefined && e.OTEL_SDK_DISABLED?.toLowerCase() !== 'true',
    serviceName: e.OTEL_SERVICE_NAME ?? appName,
    sampler: e.OTEL_TRACES_SAMPLER,
    ratio: e.OTEL_TRACES_SAMPLER_ARG,
    exportTimeoutMs: e.OTEL_EXPORTER_OTLP_TRACES_TIMEOUT ?? e.OTEL_EXPORTER_OTLP_TIMEOUT,
  };
}

/** The sampler `settings` name: a root span is kept with probability `ratio`; a child follows its parent's decision. */
export function samplerFor(settings: Pick<TracingSettings, 'sampler' | 'ratio'>): Sampler {
  const ratio = new TraceIdRatioBasedSampler(settings.ratio);
  switch (settings.sampler) {
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: ratio });
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'traceidratio':
      return ratio;
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
  }
}
