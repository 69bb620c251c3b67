import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import type { Kafka } from 'kafkajs';
import { Counter, Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import { ConsumerGroups } from '@gw/kafka';
import { LogFn, METRICS, watchRedis } from '@gw/observability';
import { OutboxStatsRepository } from '@gw/outbox';
import { deadLetterQueueName, redisConnection } from '@gw/queues';
import { CALLBACK_GROUP, CALLBACK_TOPICS } from '../callbacks/callback-dispatch';
import { usageConsumerOptions } from '../usage/record-usage';
import { ConsumerGroup, ConsumerLagReader } from './consumer-lag';
import { cachedReading } from './scrape-cache';

/** The gateway's BullMQ queues: `sms-submit` (the sms-connector's SUBMIT_QUEUE) and `callbacks` (CALLBACK_QUEUE). */
export const GATEWAY_QUEUES = ['sms-submit', 'callbacks'];
/** Job states reported in `gw_queue_jobs`. */
const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;
/** How long one reading of Postgres or Redis may take at a scrape, and how long it is reused (ms). */
const READ_TIMEOUT_MS = 2000;
const READ_TTL_MS = 1000;
/** Kafka lag: two admin round trips per group, bounded and reused for a few seconds (ms). */
const LAG_TIMEOUT_MS = 3000;
const LAG_TTL_MS = 5000;

const relayPublished = new Counter({
  name: 'gw_relay_published_total',
  help: 'Outbox events the relay published to Kafka, per topic',
  labelNames: ['topic'] as const,
  registers: [METRICS],
});

/** OutboxRelay's `onPublished`: counts a committed batch's events for `topic`. */
export function countRelayed(topic: string, count: number): void {
  relayPublished.inc({ topic }, count);
}

/** What the workers' scrape-time metrics read. `workers` is WORKERS (the enabled workers). */
export interface WorkersMetricsOptions {
  ds: DataSource;
  kafka: Kafka;
  redisUrl: string;
  workers: readonly string[];
  log: LogFn;
}

/**
 * Registers the workers app's scrape-time gauges, each read when `/metrics` is scraped (bounded
 * and briefly reused, see cachedReading; a reading that fails leaves its gauge empty and is logged):
 * with `relay`, `gw_outbox_unpublished` and `gw_outbox_lag_seconds` (OutboxStatsRepository);
 * `gw_kafka_consumer_lag{group,topic}` of the enabled consumers (`callbacks`, `usage`; kafkajs
 * admin); `gw_queue_jobs{queue,state}` of every gateway queue and its `.dlq`, and
 * `gw_dead_letters{queue}` of the `.dlq`s (BullMQ `Queue.getJobCounts`).
 * @returns stop(), which closes the Redis and Kafka admin connections.
 */
export function startWorkersMetrics(o: WorkersMetricsOptions): { stop: () => Promise<void> } {
  const enabled = new Set(o.workers);
  const failed = (what: string) => (err: unknown) =>
    o.log('warn', 'metrics reading failed', { what, reason: err instanceof Error ? err.message : String(err) });

  if (enabled.has('relay')) {
    const outbox = new OutboxStatsRepository(o.ds.manager);
    const backlog = cachedReading(() => outbox.backlog(), READ_TTL_MS, READ_TIMEOUT_MS, 'reading the outbox backlog');
    gauge('gw_outbox_unpublished', 'Unpublished outbox rows', [], async (g) => g.set((await backlog()).unpublished), failed('outbox'));
    gauge(
      'gw_outbox_lag_seconds',
      'Age of the oldest unpublished outbox row (s; 0 when none)',
      [],
      async (g) => g.set((await backlog()).oldestAgeSeconds),
      failed('outbox'),
    );
  }

  const groups: ConsumerGroup[] = [];
  if (enabled.has('callbacks')) groups.push({ group: CALLBACK_GROUP, topics: CALLBACK_TOPICS });
  // The relay also reports the other apps' groups: lag is the broker's fact, and one reporter keeps
  // one series per group whatever the consumers' replica count.
  if (enabled.has('relay')) {
    for (const c of [ConsumerGroups.SmsConnector, ConsumerGroups.CallOrchestrator]) groups.push({ group: c.group, topics: [...c.topics] });
  }
  if (enabled.has('usage')) {
    const usage = usageConsumerOptions(o.log);
    groups.push({ group: usage.group, topics: usage.topics });
  }
  const lagReader = groups.length > 0 ? new ConsumerLagReader(o.kafka) : null;
  if (lagReader) {
    const lag = cachedReading(() => lagReader.lag(groups), LAG_TTL_MS, LAG_TIMEOUT_MS, 'reading Kafka consumer lag');
    gauge(
      'gw_kafka_consumer_lag',
      'Messages a consumer group has yet to consume on a topic (high watermark - committed offset, summed over partitions)',
      ['group', 'topic'],
      async (g) => {
        for (const l of await lag()) g.set({ group: l.group, topic: l.topic }, l.lag);
      },
      failed('kafka consumer lag'),
    );
  }

  const redis = watchRedis(
    'queue_metrics',
    new IORedis({
      ...redisConnection(o.redisUrl),
      maxRetriesPerRequest: 1,
      connectTimeout: READ_TIMEOUT_MS,
      commandTimeout: READ_TIMEOUT_MS,
    }),
  );
  redis.on('error', () => undefined); // reported by the readings that fail
  const names = GATEWAY_QUEUES.flatMap((q) => [q, deadLetterQueueName(q)]);
  const queues = names.map((name) => new Queue(name, { connection: redis }));
  const counts = cachedReading(
    () => Promise.all(queues.map(async (q) => ({ queue: q.name, counts: await q.getJobCounts(...QUEUE_STATES, 'prioritized') }))),
    READ_TTL_MS,
    READ_TIMEOUT_MS,
    'reading BullMQ job counts',
  );
  gauge(
    'gw_queue_jobs',
    'BullMQ jobs of a queue by state',
    ['queue', 'state'],
    async (g) => {
      for (const { queue, counts: c } of await counts()) for (const state of QUEUE_STATES) g.set({ queue, state }, c[state] ?? 0);
    },
    failed('queues'),
  );
  gauge(
    'gw_dead_letters',
    'Jobs in a dead-letter queue',
    ['queue'],
    async (g) => {
      for (const { queue, counts: c } of await counts()) {
        if (queue.endsWith('.dlq'))
          g.set(
            { queue },
            Object.values(c).reduce((a, b) => a + b, 0),
          );
      }
    },
    failed('queues'),
  );

  return {
    stop: async () => {
      await Promise.all(queues.map((q) => q.close()));
      redis.disconnect();
      await lagReader?.close();
    },
  };
}

/** A gauge filled by `read` at each scrape; when `read` fails the gauge is left empty and `onError` is told. */
function gauge(name: string, help: string, labelNames: string[], read: (g: Gauge) => Promise<void>, onError: (err: unknown) => void): void {
  new Gauge({
    name,
    help,
    labelNames,
    registers: [METRICS],
    async collect() {
      this.reset();
      await read(this).catch(onError);
    },
  });
}
