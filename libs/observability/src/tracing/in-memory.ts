import { context, propagation, trace } from '@opentelemetry/api';
import type { NodeSDK } from '@opentelemetry/sdk-node';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { tracingSdk } from './sdk';

/**
 * The gateway's tracing SDK with an in-memory exporter, for tests of code that emits spans or
 * reads the trace context. `start()` registers it as the process's tracer provider, W3C
 * propagator and context manager (parent-based sampler at ratio 1, no instrumentations, span
 * processors as in production after the redaction one); `spans()` returns the finished spans;
 * `stop()` shuts it down and unregisters those globals, so what runs later in the process is
 * untraced, as an app without an OTLP endpoint is.
 */
export class InMemoryTracing {
  private readonly exporter = new InMemorySpanExporter();
  private readonly processor = new SimpleSpanProcessor({ exporter: this.exporter });
  private sdk?: NodeSDK;

  start(): void {
    this.sdk = tracingSdk(
      { enabled: true, serviceName: 'spec', sampler: 'parentbased_traceidratio', ratio: 1, exportTimeoutMs: 1000 },
      [this.processor],
      [],
    );
    this.sdk.start();
  }

  /** Every span ended so far (since the last reset), in the order they ended. */
  async spans(): Promise<ReadableSpan[]> {
    await this.processor.forceFlush();
    return this.exporter.getFinishedSpans();
  }

  /** The first ended span named `name`; throws when there is none. */
  async span(name: string): Promise<ReadableSpan> {
    const found = (await this.spans()).find((s) => s.name === name);
    if (!found) throw new Error(`no span named ${name} has ended`);
    return found;
  }

  /** Forgets the spans ended so far. */
  reset(): void {
    this.exporter.reset();
  }

  async stop(): Promise<void> {
    await this.sdk?.shutdown();
    trace.disable();
    context.disable();
    propagation.disable();
  }
}
