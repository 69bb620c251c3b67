export { RetryableError, PermanentError } from './errors';
export { createRetryingWorker, retryJobOptions, deadLetterQueueName } from './retrying-worker';
export type { RetryPolicy, GiveUpKind, DeadLetter, RetryingWorkerOptions } from './retrying-worker';
export { redisConnection } from './redis';
export { queueTelemetry } from './telemetry';
export { DeadLetterRepository } from './dead-letters';
export type { AttemptHistory, DeadLetterFilter, DeadLetterOutcome, DeadLetterPage, DeadLetterRecord } from './dead-letters';
