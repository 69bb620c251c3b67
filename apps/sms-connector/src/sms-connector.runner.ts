import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Queue, Worker } from 'bullmq';
import { DataSource } from 'typeorm';
import { nestLogFn } from '@gw/observability';
import { APP_CONFIG, ConnectorConfig } from '@gw/config';
import { JasminHttpConnector } from '@gw/connectors';
import { DATA_SOURCE } from '@gw/database';
import { CORRELATION_ID_HEADER, createKafka, ensureTopics, IdempotentConsumer, Topics } from '@gw/kafka';
import { createRetryingWorker, DeadLetter, redisConnection, retryJobOptions } from '@gw/queues';
import { SubmitJob, SubmitMessageUseCase } from './submit-message.usecase';
import { answeredIn, SubmitWindow } from './submit-window';

/** BullMQ queue of MT submissions (its dead-letter queue is `sms-submit.dlq`). */
export const SUBMIT_QUEUE = 'sms-submit';
export const CONSUMER_GROUP = 'sms-connector';

/**
 * Wires the connector: Kafka `sms.outbound.v1` -> (idempotent consumer) -> BullMQ `sms-submit`
 * job keyed by message id -> (SubmitWindow) -> Jasmin `/send`, with retries and a dead-letter queue.
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

  constructor(
    @Inject(DATA_SOURCE) private readonly ds: DataSource,
    @Inject(APP_CONFIG) private readonly config: ConnectorConfig,
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
    const useCase = new SubmitMessageUseCase(
      this.ds,
      new JasminHttpConnector({
        baseUrl: c.JASMIN_HTTP_URL,
        username: c.JASMIN_USERNAME,
        password: c.JASMIN_PASSWORD,
        timeoutMs: c.JASMIN_TIMEOUT_MS,
      }),
      { baseUrl: c.DLR_BASE_URL, secret: c.DLR_TOKEN_SECRET },
      this.window,
    );
    this.queue = new Queue<SubmitJob>(SUBMIT_QUEUE, { connection });
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

    const kafka = createKafka(c.KAFKA_BROKERS, 'sms-connector', this.log);
    await ensureTopics(kafka);
    const queue = this.queue;
    // A redelivered event needs no processed_events row: the job id is the message id (BullMQ
    // ignores a second add) and SubmitMessageUseCase skips a message already handed to Jasmin.
    this.consumer = new IdempotentConsumer(kafka, this.ds, {
      group: CONSUMER_GROUP,
      topics: [Topics.SmsOutbound],
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
    await this.consumer?.stop();
    this.window?.close();
    await this.worker?.close();
    await this.queue?.close();
    await this.deadLetters?.close();
  }

  /** True once the Kafka consumer joined its group and the BullMQ worker runs. */
  isRunning(): boolean {
    return this.consumer?.joined() === true && this.worker?.isRunning() === true;
  }
}
