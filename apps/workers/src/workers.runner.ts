import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Queue, Worker } from 'bullmq';
import { DataSource } from 'typeorm';
import { nestLogFn } from '@gw/observability';
import { APP_CONFIG, WorkersConfig } from '@gw/config';
import { DATA_SOURCE } from '@gw/database';
import { createKafka, ensureTopics, IdempotentConsumer, KafkaPublisher, kafkaSecurity } from '@gw/kafka';
import { OutboxRelay } from '@gw/outbox';
import { recordingStoreFrom } from '@gw/recordings';
import { createRetryingWorker, DeadLetter, queueTelemetry, redisConnection, retryJobOptions } from '@gw/queues';
import { OutboundAddressPolicy, outboundDispatcher } from '@gw/security';
import {
  attemptCallback,
  CALLBACK_GROUP,
  CALLBACK_TOPICS,
  CallbackJob,
  hasCallback,
  markDispatched,
  pendingCallbackJob,
} from './callbacks/callback-dispatch';
import { countRelayed, startWorkersMetrics } from './metrics/workers-metrics';
import { startRetentionSweep } from './retention/retention';
import { ErasureRunner, startErasureRunner } from './retention/erasure-runner';
import { PersonalDataSweep } from './retention/personal-data-sweep';
import { PersonalDataRepository } from './retention/personal-data.repository';
import { usageConsumerOptions } from './usage/record-usage';

/** BullMQ queue of project callbacks (dead letters in `callbacks.dlq`). */
export const CALLBACK_QUEUE = 'callbacks';

/**
 * Background workers, each switched on by WORKERS: `relay` (outbox -> Kafka), `callbacks`
 * (sms and call events -> signed project callbacks with retries and a dead-letter queue), `usage`
 * (sms and call events -> daily segment and call-minute counters), `retention` (deletes published
 * outbox rows and consumer dedupe records past their retention, applies each project's
 * personal-data retention, runs subscriber erasures). Each is a separate concern;
 * several replicas are safe.
 */
@Injectable()
export class WorkersRunner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('workers');
  private readonly log = nestLogFn(this.logger);
  private readonly stops: Array<() => Promise<void>> = [];
  private readonly consumers: IdempotentConsumer[] = [];
  private started = false;

  constructor(
    @Inject(DATA_SOURCE) private readonly ds: DataSource,
    @Inject(APP_CONFIG) private readonly config: WorkersConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const kafka = createKafka(this.config.KAFKA_BROKERS, 'workers', this.log, kafkaSecurity(this.config));
    await ensureTopics(kafka);
    const enabled = new Set(this.config.WORKERS);
    if (enabled.has('relay')) {
      const publisher = new KafkaPublisher(kafka);
      await publisher.connect();
      const relay = new OutboxRelay(this.ds, publisher, {
        batchSize: this.config.RELAY_BATCH_SIZE,
        idleMs: this.config.RELAY_IDLE_MS,
        log: this.log,
        onPublished: countRelayed,
      });
      relay.start();
      this.stops.push(async () => {
        await relay.stop();
        await publisher.disconnect();
      });
    }
    if (enabled.has('callbacks')) await this.startCallbacks(kafka);
    if (enabled.has('usage')) {
      const consumer = new IdempotentConsumer(kafka, this.ds, usageConsumerOptions(this.log));
      await consumer.start();
      this.consumers.push(consumer);
      this.stops.push(() => consumer.stop());
    }
    if (enabled.has('retention')) {
      const recordings = recordingStoreFrom(this.config);
      const personalData = new PersonalDataRepository();
      const sweep = startRetentionSweep(
        this.ds.manager,
        { outboxHours: this.config.OUTBOX_RETENTION_HOURS, processedEventsHours: this.config.PROCESSED_EVENTS_RETENTION_HOURS },
        this.config.RETENTION_SWEEP_INTERVAL_MS,
        this.log,
        new PersonalDataSweep(this.ds, personalData, recordings, this.log),
      );
      const erasures = startErasureRunner(
        new ErasureRunner(this.ds, personalData, recordings, this.log),
        this.config.ERASURE_POLL_INTERVAL_MS,
        this.log,
      );
      this.stops.push(
        () => sweep.stop(),
        () => erasures.stop(),
      );
    }
    const metrics = startWorkersMetrics({
      ds: this.ds,
      kafka,
      redisUrl: this.config.REDIS_URL,
      workers: this.config.WORKERS,
      log: this.log,
    });
    this.stops.push(() => metrics.stop());
    this.started = true;
  }

  async onApplicationShutdown(): Promise<void> {
    for (const stop of this.stops.reverse()) await stop();
  }

  /** True once every enabled worker started and each Kafka consumer joined its group. */
  isRunning(): boolean {
    return this.started && this.consumers.every((c) => c.joined());
  }

  private async startCallbacks(kafka: ReturnType<typeof createKafka>): Promise<void> {
    const connection = redisConnection(this.config.REDIS_URL);
    const policy = { attempts: this.config.CALLBACK_ATTEMPTS, backoffMs: this.config.CALLBACK_BACKOFF_MS };
    const queue = new Queue<CallbackJob>(CALLBACK_QUEUE, { connection, ...queueTelemetry() });
    const http = outboundDispatcher(new OutboundAddressPolicy(this.config.OUTBOUND_ALLOWED_CIDRS));
    const { worker, deadLetters }: { worker: Worker<CallbackJob>; deadLetters: Queue<DeadLetter<CallbackJob>> } =
      createRetryingWorker<CallbackJob>({
        queue: CALLBACK_QUEUE,
        connection,
        concurrency: 20,
        policy,
        process: async (job) => {
          const attempt = { attempt: job.attemptsMade + 1, attempts: job.opts.attempts ?? policy.attempts };
          const status = await attemptCallback(this.ds, job.data, attempt, this.config.CALLBACK_TIMEOUT_MS, http);
          this.logger.log({ event_id: job.data.event_id, status, attempt: job.attemptsMade + 1 }, 'callback delivered');
        },
        onGiveUp: async (job, kind, error) => {
          this.logger.warn({ event_id: job.data.event_id, kind, reason: error.message }, 'callback given up');
        },
      });
    worker.on('failed', (job, err) =>
      this.logger.warn({ event_id: job?.data.event_id, reason: err.message }, 'callback attempt failed; will retry'),
    );
    // No transaction per event: pendingCallbackJob checks processed_events, markDispatched writes it after the enqueue.
    const consumer = new IdempotentConsumer(kafka, this.ds, {
      group: CALLBACK_GROUP,
      topics: CALLBACK_TOPICS,
      log: this.log,
      accepts: hasCallback,
      dedupe: 'handler',
      handler: async (event, db) => {
        const job = await pendingCallbackJob(db, event);
        if (!job) return;
        await queue.add('callback', job, retryJobOptions(policy, job.event_id));
        await markDispatched(db, job.event_id);
      },
    });
    await consumer.start();
    this.consumers.push(consumer);
    this.stops.push(async () => {
      await consumer.stop();
      await worker.close();
      await queue.close();
      await deadLetters.close();
      await http.close();
    });
  }
}
