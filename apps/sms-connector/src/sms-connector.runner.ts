import { hostname } from 'node:os';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Queue, Worker } from 'bullmq';
import IORedis from 'ioredis';
import { DataSource } from 'typeorm';
import { nestLogFn, watchRedis } from '@gw/observability';
import { APP_CONFIG, ConnectorConfig } from '@gw/config';
import { secretResolver } from '@gw/connectors';
import type { CarrierLog, ReceiptSink } from '@gw/connectors';
import { DATA_SOURCE } from '@gw/database';
import { ConsumerGroups, CORRELATION_ID_HEADER, createKafka, ensureTopics, IdempotentConsumer, kafkaSecurity } from '@gw/kafka';
import { createRetryingWorker, DeadLetter, queueTelemetry, redisConnection, retryJobOptions } from '@gw/queues';
import { loadRegistry, orderCandidates, REGISTRY_CHANNEL } from '@gw/routing';
import { applyReceipt, recordInbound, recordReceiptLatency } from '@gw/sms';
import { ConnectorMetrics } from './connector-metrics';
import { ConnectorRuntime } from './routing/connector-runtime';
import { InFlightWindow } from './routing/in-flight-window';
import { ThroughputLimit } from './routing/throughput-limit';
import { SubmitJob, SubmitMessageUseCase } from './submit-message.usecase';
import { answeredIn, SubmitWindow } from './submit-window';

/** BullMQ queue of MT submissions (its dead-letter queue is `sms-submit.dlq`). */
export const SUBMIT_QUEUE = 'sms-submit';
export const CONSUMER_GROUP = ConsumerGroups.SmsConnector.group;

/**
 * Wires the connector: Kafka `sms.outbound.v1` -> (idempotent consumer) -> BullMQ `sms-submit`
 * job keyed by message id -> (SubmitWindow) -> the connectors of the message's route (registry in
 * Postgres, reloaded on every change notice on Redis `gw:connectors:changed` and every
 * REGISTRY_REFRESH_MS), with retries and a dead-letter queue. Receipts and MO of bound connectors
 * (SMPP) are applied here; HTTP carriers' go to the webhook ingress.
 */
@Injectable()
export class SmsConnectorRunner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('sms-connector');
  private readonly log = nestLogFn(this.logger);
  private consumer?: IdempotentConsumer;
  private queue?: Queue<SubmitJob>;
  private worker?: Worker<SubmitJob>;
  private deadLetters?: Queue<DeadLetter<SubmitJob>>;
  private window?: SubmitWindow;
  private runtime?: ConnectorRuntime;
  private redis?: IORedis;
  private subscriber?: IORedis;
  private refresh?: NodeJS.Timeout;

  constructor(
    @Inject(DATA_SOURCE) private readonly ds: DataSource,
    @Inject(APP_CONFIG) private readonly config: ConnectorConfig,
    private readonly metrics: ConnectorMetrics,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const c = this.config;
    const connection = redisConnection(c.REDIS_URL);
    const policy = { attempts: c.SUBMIT_ATTEMPTS, backoffMs: c.SUBMIT_BACKOFF_MS };
    this.window = new SubmitWindow({
      size: c.SUBMIT_WINDOW,
      ttlMs: c.SUBMIT_WINDOW_TTL_MS,
      refreshMs: 200,
      answered: answeredIn(this.ds),
      onError: (err) => this.logger.warn({ reason: err instanceof Error ? err.message : String(err) }, 'submit window: status poll failed'),
    });
    const redis = watchRedis(
      'connector',
      new IORedis(c.REDIS_URL, { maxRetriesPerRequest: 1, connectTimeout: 5000, commandTimeout: 2000 }),
    );
    redis.on('error', (err: Error) => this.logger.warn({ reason: err.message }, 'redis'));
    this.redis = redis;
    const runtime: ConnectorRuntime = new ConnectorRuntime({
      load: () => loadRegistry(this.ds.manager),
      orderCandidates,
      redis,
      replicaId: `${hostname()}:${process.pid}`,
      heartbeatMs: c.BREAKER_HEARTBEAT_MS,
      secrets: secretResolver(),
      sink: this.receiptSink(
        () => useCase,
        () => runtime,
      ),
      log: this.carrierLog(),
      closeTimeoutMs: c.CONNECTOR_CLOSE_TIMEOUT_MS,
      metrics: this.metrics,
    });
    const throughput = new ThroughputLimit(redis);
    const inFlight = new InFlightWindow(redis);
    this.runtime = runtime;
    const useCase: SubmitMessageUseCase = new SubmitMessageUseCase(
      this.ds,
      runtime,
      { take: (id, tps) => throughput.take(id, tps), run: (id, window, submit) => inFlight.run(id, window, submit) },
      { baseUrl: c.DLR_BASE_URL, secret: c.DLR_TOKEN_SECRET },
      this.window,
      this.metrics,
    );
    await runtime.reload();
    await this.watchRegistry(c.REDIS_URL, c.REGISTRY_REFRESH_MS);
    this.queue = new Queue<SubmitJob>(SUBMIT_QUEUE, { connection, ...queueTelemetry() });
    const { worker, deadLetters } = createRetryingWorker<SubmitJob>({
      queue: SUBMIT_QUEUE,
      connection,
      concurrency: c.SUBMIT_CONCURRENCY,
      policy,
      process: async (job) => {
        const outcome = await useCase.submit(job.data);
        this.logger.log(
          { message_id: job.data.message_id, correlation_id: job.data.correlation_id, outcome, attempt: job.attemptsMade + 1 },
          'submit',
        );
      },
      onGiveUp: async (job, kind, error) => {
        this.logger.warn({ message_id: job.data.message_id, kind, reason: error.message }, 'submission given up');
        await useCase.giveUp(job.data, kind, error);
      },
    });
    worker.on('failed', (job, err) =>
      this.logger.warn(
        { message_id: job?.data.message_id, attempt: job?.attemptsMade, reason: err.message },
        'submit attempt failed; will retry',
      ),
    );
    this.worker = worker;
    this.deadLetters = deadLetters;

    const kafka = createKafka(c.KAFKA_BROKERS, 'sms-connector', this.log, kafkaSecurity(c));
    await ensureTopics(kafka);
    const queue = this.queue;
    // A redelivered event needs no processed_events row: the job id is the message id (BullMQ
    // ignores a second add) and SubmitMessageUseCase skips a message a carrier already took.
    this.consumer = new IdempotentConsumer(kafka, this.ds, {
      group: CONSUMER_GROUP,
      topics: [...ConsumerGroups.SmsConnector.topics],
      log: this.log,
      dedupe: 'handler',
      handler: async (event) => {
        const messageId = String(event.payload.message_id ?? event.key);
        await queue.add(
          'submit',
          { message_id: messageId, correlation_id: event.headers[CORRELATION_ID_HEADER] },
          retryJobOptions(policy, messageId),
        );
      },
    });
    await this.consumer.start();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.refresh);
    await this.consumer?.stop();
    this.window?.close();
    await this.worker?.close();
    await this.queue?.close();
    await this.deadLetters?.close();
    await this.runtime?.close();
    this.subscriber?.disconnect();
    this.redis?.disconnect();
  }

  /** Reloads the registry on every change notice and every `refreshMs` (a notice missed while Redis was away). */
  private async watchRegistry(url: string, refreshMs: number): Promise<void> {
    const reload = (why: string) =>
      this.runtime?.reload().catch((err: Error) => this.logger.warn({ reason: err.message, why }, 'connector registry reload failed'));
    this.subscriber = watchRedis('registry_subscriber', new IORedis(url, { maxRetriesPerRequest: null, connectTimeout: 5000 }));
    this.subscriber.on('error', (err: Error) => this.logger.warn({ reason: err.message }, 'redis subscriber'));
    this.subscriber.on('message', () => void reload('change notice'));
    this.subscriber.on('ready', () => void reload('redis reconnected'));
    await this.subscriber.subscribe(REGISTRY_CHANNEL);
    this.refresh = setInterval(() => void reload('periodic'), refreshMs);
    this.refresh.unref();
  }

  /**
   * Applies what bound connectors receive. A receipt can arrive before its submit_sm_resp's id is
   * stored (same socket, the receipt handler runs first): an unknown id waits for that
   * connector's submits in flight and is looked up once more. Applied receipts are timed from
   * their submit in `gw_sms_receipt_seconds`.
   */
  private receiptSink(useCase: () => SubmitMessageUseCase, runtime: () => ConnectorRuntime): ReceiptSink {
    return {
      receipt: async (connectorId, report) => {
        let result = await applyReceipt(this.ds.manager, { connectorId, receipt: report });
        if (result.outcome === 'unknown_message') {
          await useCase().settled(connectorId);
          result = await applyReceipt(this.ds.manager, { connectorId, receipt: report });
        }
        recordReceiptLatency(result, report);
        const { outcome } = result;
        if (outcome === 'unknown_message' || outcome === 'other_connector') {
          this.logger.warn({ connector_id: connectorId, provider_message_id: report.providerMessageId, outcome }, 'receipt not applied');
        }
      },
      mo: async (connectorId, mo) => {
        const kind = runtime().connector(connectorId)?.row.kind ?? 'smpp';
        if ((await recordInbound(this.ds, kind, mo)) === 'unowned_number')
          this.logger.warn({ to: mo.to }, 'MO to a number no project owns');
      },
    };
  }

  private carrierLog(): CarrierLog {
    return { info: (f, m) => this.logger.log(f, m), warn: (f, m) => this.logger.warn(f, m) };
  }

  /** True once the Kafka consumer joined its group and the BullMQ worker runs. */
  isRunning(): boolean {
    return this.consumer?.joined() === true && this.worker?.isRunning() === true;
  }
}
