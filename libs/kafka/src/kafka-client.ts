import { Kafka, logLevel, LogEntry, RetryOptions } from 'kafkajs';
import { Topics } from './envelope';
import type { KafkaSecurity } from './kafka-security';

/** Every topic the gateway uses, with the dead-letter topic of each. */
export const ALL_TOPICS: string[] = Object.values(Topics).flatMap((t) => [t, `${t}.dlq`]);

/** Partitions per topic created by `ensureTopics` (upper bound of parallel consumers per group). */
export const DEFAULT_PARTITIONS = 6;

type LogFn = (level: 'error' | 'warn' | 'info' | 'debug', msg: string, extra: Record<string, unknown>) => void;

/**
 * A kafkajs client with bounded timeouts (connect 5 s, requests 30 s) whose logs go to `log`
 * (kafkajs prints to the console otherwise); `security` adds TLS and SASL (see kafkaSecurity);
 * `retry` replaces the default retries (10, up to 10 s apart), of connecting too.
 */
export function createKafka(brokers: string[], clientId: string, log?: LogFn, security: KafkaSecurity = {}, retry?: RetryOptions): Kafka {
  const levels: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
    [logLevel.ERROR]: 'error',
    [logLevel.WARN]: 'warn',
    [logLevel.INFO]: 'info',
    [logLevel.DEBUG]: 'debug',
  };
  return new Kafka({
    clientId,
    brokers,
    ...security,
    connectionTimeout: 5000,
    requestTimeout: 30000,
    retry: retry ?? { initialRetryTime: 300, retries: 10, maxRetryTime: 10000 },
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ level, log: entry }: LogEntry) => {
        const { message, ...extra } = entry;
        if (log) log(levels[level] ?? 'info', `kafka: ${message}`, extra);
      },
  });
}

/** Creates the gateway's topics if missing (idempotent; safe at every boot); replication follows the broker default. */
export async function ensureTopics(kafka: Kafka, topics: string[] = ALL_TOPICS): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t));
    if (missing.length) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((topic) => ({ topic, numPartitions: DEFAULT_PARTITIONS })),
      });
    }
  } finally {
    await admin.disconnect();
  }
}
