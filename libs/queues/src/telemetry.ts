import { BullMQOtel } from 'bullmq-otel';
import type { Telemetry } from 'bullmq';
import { tracingStarted } from '@gw/tracing';

let telemetry: BullMQOtel | undefined;

/**
 * BullMQ's OpenTelemetry hooks (bullmq-otel) for a Queue's or Worker's options: `add` stores the
 * active trace context in the job and the worker processes the job in a span under it, so a job
 * belongs to the trace of whatever enqueued it. Empty when tracing is off in this process (no
 * span work, no context stored in jobs).
 */
export function queueTelemetry(): { telemetry?: Telemetry } {
  if (!tracingStarted()) return {};
  telemetry ??= new BullMQOtel({ tracerName: 'bullmq' });
  return { telemetry };
}
