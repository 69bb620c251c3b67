import {
  Admin,
  Kafka,
  KafkaJSBrokerNotFound,
  KafkaJSConnectionError,
  KafkaJSNumberOfRetriesExceeded,
  KafkaJSRequestTimeoutError,
} from 'kafkajs';
import { DomainError, ErrorCode } from '@gw/errors';

/**
 * Retries for the kafkajs client of operator tools (createKafka's `retry`): a few quick ones (about
 * 1.5 s in all), so an unreachable Kafka fails the call within its time budget and leaves no
 * connect loop running after it.
 */
export const OPERATOR_RETRY = { retries: 3, initialRetryTime: 100, maxRetryTime: 1000 };

/** The error an operator sees when Kafka does not answer: a 503 naming the dependency. */
export function kafkaUnavailable(timeoutMs: number): DomainError {
  return new DomainError(ErrorCode.Unavailable, `Kafka unreachable: the brokers did not answer within ${timeoutMs} ms`);
}

/** Runs `op` on a connected admin client of `kafka` within `timeoutMs` (ms), as withinKafkaTimeout. */
export function withKafkaAdmin<T>(kafka: Kafka, timeoutMs: number, op: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = kafka.admin();
  return withinKafkaTimeout(
    timeoutMs,
    async () => {
      await admin.connect();
      return op(admin);
    },
    () => admin.disconnect(),
  );
}

/**
 * Runs `op` within `timeoutMs` (ms). Past it, or when kafkajs gives up connecting (connection
 * refused, request timeout, retries exhausted), throws service_unavailable naming Kafka; `cleanup`
 * runs either way (e.g. disconnecting the clients `op` opened, which stops their retries). Other
 * errors (DomainError, a broker's refusal) are rethrown as they are.
 * @throws DomainError service_unavailable
 */
export async function withinKafkaTimeout<T>(timeoutMs: number, op: () => Promise<T>, cleanup: () => Promise<void>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(kafkaUnavailable(timeoutMs)), timeoutMs);
  });
  try {
    const result = await Promise.race([op(), expired]);
    clearTimeout(timer);
    await cleanup().catch(() => undefined);
    return result;
  } catch (err) {
    clearTimeout(timer);
    // Not awaited: a disconnect waits for the requests in flight, which may be what hangs.
    void cleanup().catch(() => undefined);
    if (isUnreachable(err)) throw kafkaUnavailable(timeoutMs);
    throw err;
  }
}

function isUnreachable(err: unknown): boolean {
  return (
    err instanceof KafkaJSConnectionError ||
    err instanceof KafkaJSRequestTimeoutError ||
    err instanceof KafkaJSBrokerNotFound ||
    (err instanceof KafkaJSNumberOfRetriesExceeded && isUnreachable((err as { cause?: unknown }).cause))
  );
}
