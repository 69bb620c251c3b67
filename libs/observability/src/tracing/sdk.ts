import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { KafkaJsInstrumentation } from '@opentelemetry/instrumentation-kafkajs';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace';
import type { SpanProcessor } from '@opentelemetry/sdk-trace';
import { QueryRedactionProcessor } from './redaction';
import { samplerFor, tracingSettings, TracingSettings, TracingSettingsError } from './settings';

/** The SDK's `instrumentations` option. */
type Instrumentations = NonNullable<NonNullable<ConstructorParameters<typeof NodeSDK>[0]>['instrumentations']>;

/** Longest wait (ms) for the last spans to be exported when the process stops. */
const SHUTDOWN_FLUSH_MS = 5000;

/** Longest time (ms) the process is kept alive for the app's own shutdown to hand the signal back. */
const SHUTDOWN_WAIT_MS = 30000;

let started = false;

/** True once startTracing started the SDK in this process (libraries with their own tracing hooks, e.g. BullMQ, turn them on then). */
export function tracingStarted(): boolean {
  return started;
}

/**
 * The OpenTelemetry Node SDK of one process: `settings` (service name, sampler), `instrumentations`
 * (by default those of the libraries the gateway uses: outgoing http, pg, ioredis, kafkajs, undici;
 * see traceFastifyRequests for incoming requests) and `spanProcessors`, by default a batch processor exporting
 * OTLP/HTTP protobuf to OTEL_EXPORTER_OTLP_ENDPOINT (`/v1/traces`) within `exportTimeoutMs`, after
 * QueryRedactionProcessor (no query parameter value leaves the process; Redis spans name the
 * command only, since BullMQ's scripts carry job data, and SQL is recorded without values). The
 * W3C trace-context and baggage propagators are registered on start. Logs and metrics are not
 * exported through it (the apps log with pino and serve Prometheus metrics).
 */
export function tracingSdk(
  settings: TracingSettings,
  spanProcessors?: SpanProcessor[],
  instrumentations: Instrumentations = gatewayInstrumentations(),
): NodeSDK {
  return new NodeSDK({
    serviceName: settings.serviceName,
    sampler: samplerFor(settings),
    spanProcessors: [
      new QueryRedactionProcessor(),
      ...(spanProcessors ?? [
        new BatchSpanProcessor({
          exporter: new OTLPTraceExporter({ timeoutMillis: settings.exportTimeoutMs }),
          exportTimeoutMillis: settings.exportTimeoutMs,
        }),
      ]),
    ],
    logRecordProcessors: [],
    metricReaders: [],
    instrumentations,
  });
}

/**
 * The instrumentations of the libraries the gateway uses. Incoming HTTP requests are not among
 * them: the Fastify apps start their server spans themselves, sampling first (traceFastifyRequests),
 * and the Express apps serve only /health and /metrics, which are not traced.
 */
function gatewayInstrumentations(): Instrumentations {
  return [
    new HttpInstrumentation({ disableIncomingRequestInstrumentation: true }),
    // Polls (the outbox relay's, BullMQ's) run outside any request: only work inside a trace is recorded.
    // A pool checkout is not work of its own: a span per query is enough.
    new PgInstrumentation({ requireParentSpan: true, ignoreConnectSpans: true }),
    new IORedisInstrumentation({ requireParentSpan: true, dbStatementSerializer: (command) => command }),
    new KafkaJsInstrumentation(),
    new UndiciInstrumentation({ requireParentforSpans: true }),
  ];
}

/**
 * Starts tracing for the app `appName` when an OTLP endpoint is configured (and OTEL_SDK_DISABLED
 * is not true); otherwise does nothing, so the app runs unchanged without a trace backend. Must run
 * before the instrumented modules are loaded: each app's `main.ts` imports its `tracing.ts` first.
 * On SIGTERM/SIGINT the spans still buffered are exported (at most SHUTDOWN_FLUSH_MS) once the app
 * itself has closed, i.e. when this is the last listener of the signal (Nest's shutdown hooks
 * re-raise the signal after closing; a cluster primary exits on its own), and the signal is then
 * raised again so the process ends as it would have. Until then a timer (at most SHUTDOWN_WAIT_MS)
 * keeps the process alive: signal handlers alone do not, and a closed app leaves nothing else.
 * A malformed setting ends the process with status 1 and one line naming the variable.
 */
export function startTracing(appName: string): void {
  let settings: TracingSettings;
  try {
    settings = tracingSettings(appName);
  } catch (err) {
    if (!(err instanceof TracingSettingsError)) throw err;
    process.stderr.write(`${appName} failed to start: ${err.message}\n`);
    process.exit(1);
  }
  if (!settings.enabled) return;
  const sdk = tracingSdk(settings);
  sdk.start();
  started = true;
  let keepAlive: NodeJS.Timeout | undefined;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    const onSignal = (): void => {
      if (process.listenerCount(signal) > 1) {
        keepAlive ??= setTimeout(() => undefined, SHUTDOWN_WAIT_MS);
        return;
      }
      process.removeListener(signal, onSignal);
      let flushTimer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => (flushTimer = setTimeout(resolve, SHUTDOWN_FLUSH_MS)));
      void Promise.race([sdk.shutdown().catch(() => undefined), timeout]).finally(() => {
        clearTimeout(flushTimer);
        clearTimeout(keepAlive);
        process.kill(process.pid, signal);
      });
    };
    process.on(signal, onSignal);
  }
}
