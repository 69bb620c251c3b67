import { Job, Queue, Worker } from 'bullmq';
import type { ConnectionOptions } from 'bullmq';
import { PermanentError, RetryableError } from './errors';
import { queueTelemetry } from './telemetry';

/** Name of the dead-letter queue of `queue`. */
export function deadLetterQueueName(queue: string): string {
  return `${queue}.dlq`;
}

/** Retry policy: `attempts` in all (first try included), exponential backoff from `backoffMs` (ms). */
export interface RetryPolicy {
  attempts: number;
  backoffMs: number;
}

/** Why a job was given up: a permanent error, or retries exhausted (then it is on the dead-letter queue). */
export type GiveUpKind = 'permanent' | 'exhausted';

/** Data of a dead-lettered job: the original data, the last error and when. */
export interface DeadLetter<T> {
  data: T;
  queue: string;
  reason: string;
  attempts: number;
  failed_at: string;
}

export interface RetryingWorkerOptions<T> {
  queue: string;
  connection: ConnectionOptions;
  concurrency: number;
  policy: RetryPolicy;
  process: (job: Job<T>) => Promise<void>;
  /** Runs once when the job is given up (after the dead-letter copy for `exhausted`); must be idempotent. */
  onGiveUp: (job: Job<T>, kind: GiveUpKind, error: Error) => Promise<void>;
}

/**
 * BullMQ backoff type of the gateway's jobs. Not one of BullMQ's built-in types (`fixed`,
 * `exponential`), which would bypass the worker's backoffStrategy (bullmq classes/backoffs.js
 * uses a built-in strategy whenever the type names one) and so ignore a RetryableError's
 * retryAfterMs.
 */
export const RETRY_BACKOFF_TYPE = 'gw-retry';

/**
 * Job options that make BullMQ retry a job with exponential backoff from `backoffMs`, or after a
 * carrier's retry-after (see createRetryingWorker); the job id makes enqueueing idempotent
 * (adding an existing id is a no-op).
 */
export function retryJobOptions(policy: RetryPolicy, jobId: string) {
  return {
    jobId,
    attempts: policy.attempts,
    backoff: { type: RETRY_BACKOFF_TYPE, delay: policy.backoffMs },
    removeOnComplete: { age: 24 * 3600, count: 10000 },
    removeOnFail: { age: 7 * 24 * 3600 },
  };
}

/**
 * A BullMQ worker that classifies failures: RetryableError (and unknown errors) are retried per the
 * job's policy (honouring `retryAfterMs`); on the last attempt the job is copied to the dead-letter
 * queue and `onGiveUp('exhausted')` runs; a PermanentError goes straight to `onGiveUp('permanent')`.
 * Both give-up paths run inside the processor, so a crash there leaves a stalled job that BullMQ
 * hands out again rather than a lost one. With tracing on, each attempt is a span in the trace of
 * whatever enqueued the job (queueTelemetry).
 */
export function createRetryingWorker<T>(opts: RetryingWorkerOptions<T>): { worker: Worker<T>; deadLetters: Queue<DeadLetter<T>> } {
  const deadLetters = new Queue<DeadLetter<T>>(deadLetterQueueName(opts.queue), { connection: opts.connection, ...queueTelemetry() });
  const worker = new Worker<T>(
    opts.queue,
    async (job) => {
      try {
        await opts.process(job);
      } catch (err) {
        const error = err instanceof Error ? err : new Error(String(err));
        if (error instanceof PermanentError) {
          await opts.onGiveUp(job, 'permanent', error);
          return;
        }
        const attempts = job.opts.attempts ?? opts.policy.attempts;
        if (job.attemptsMade + 1 >= attempts) {
          await deadLetters.add(
            'dead-letter',
            {
              data: job.data,
              queue: opts.queue,
              reason: error.message,
              attempts: job.attemptsMade + 1,
              failed_at: new Date().toISOString(),
            },
            { jobId: job.id, removeOnComplete: false, removeOnFail: false },
          );
          await opts.onGiveUp(job, 'exhausted', error);
          return;
        }
        throw error;
      }
    },
    {
      connection: opts.connection,
      ...queueTelemetry(),
      concurrency: opts.concurrency,
      settings: {
        backoffStrategy: (attemptsMade: number, _type?: string, err?: Error) => {
          if (err instanceof RetryableError && err.retryAfterMs !== undefined) return err.retryAfterMs;
          return opts.policy.backoffMs * 2 ** Math.max(0, attemptsMade - 1);
        },
      },
    },
  );
  return { worker, deadLetters };
}
