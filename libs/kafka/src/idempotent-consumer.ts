import { Consumer, Kafka, KafkaMessage, TopicPartitionOffset } from 'kafkajs';
import { DataSource, EntityManager } from 'typeorm';
import { Envelope, EnvelopeDecodeError, decodeEnvelope } from './envelope';

/**
 * Handles one event. With `dedupe: 'processed-events'`, `tx` is the transaction that also records
 * the event id as processed; with `dedupe: 'handler'`, it is the data source's manager (each query
 * commits on its own) and the handler must be idempotent by itself.
 */
export type EventHandler = (event: Envelope, tx: EntityManager) => Promise<void>;

/** What IdempotentConsumer.process did with an event. */
export type ProcessOutcome = 'handled' | 'duplicate' | 'not-accepted';

/** Options: `group` is both the Kafka consumer group and the processed-events consumer name. */
export interface IdempotentConsumerOptions {
  group: string;
  topics: string[];
  handler: EventHandler;
  /** Events the handler has nothing to do for are skipped (offset still committed) without touching Postgres. */
  accepts?: (event: Envelope) => boolean;
  /**
   * `processed-events` (default): the handler runs in a transaction that first inserts the event id
   * into processed_events. `handler`: the handler dedupes on its own (e.g. a unique ledger row
   * written in one statement), so no transaction or processed_events row is spent on it.
   */
  dedupe?: 'processed-events' | 'handler';
  /** Attempts per event before it is parked on `<topic>.dlq` (default 5), with `retryDelayMs` (default 500 ms) doubling. */
  maxAttempts?: number;
  retryDelayMs?: number;
  partitionsConsumedConcurrently?: number;
  /** How often (ms) processed offsets are committed (default 1000): one OffsetCommit per interval rather than per event. */
  commitIntervalMs?: number;
  log: (level: 'error' | 'warn' | 'info', msg: string, extra?: Record<string, unknown>) => void;
}

/**
 * Records that consumer `group` processed event `eventId` (processed_events); false when it was
 * already recorded. Handlers with `dedupe: 'handler'` that check processed_events themselves call
 * it once their side effect is done.
 */
export async function markProcessed(db: EntityManager, group: string, eventId: string): Promise<boolean> {
  const inserted: unknown[] = await db.query(
    `INSERT INTO processed_events (consumer, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1`,
    [group, eventId],
  );
  return inserted.length > 0;
}

/**
 * Headers a parked record carries on its dead-letter topic, besides the original record's own:
 * the last error, the consumer group that gave up, where the record was read, and the attempts made
 * (1 for a record that could not be decoded).
 */
export const DEAD_LETTER_HEADERS = ['error', 'group', 'original-topic', 'original-partition', 'original-offset', 'attempts'] as const;
export type DeadLetterHeader = (typeof DEAD_LETTER_HEADERS)[number];

/** Name of the dead-letter topic for records of `topic` that could not be decoded or handled. */
export function deadLetterTopic(topic: string): string {
  return `${topic}.dlq`;
}

/**
 * Kafka consumer that processes each event id at most once per group: the handler runs in a
 * Postgres transaction that first inserts (group, event_id) into processed_events; a redelivered
 * event finds the row and is skipped (or, with `dedupe: 'handler'`, the handler dedupes). Offsets
 * are committed after processing, once per `commitIntervalMs`, so a crash redelivers the events
 * processed since the last commit, which are then dropped.
 * Policy for bad records: an undecodable record, or one whose handler keeps failing after
 * `maxAttempts`, is copied to `<topic>.dlq` with an `error` header and skipped.
 */
export class IdempotentConsumer {
  private readonly consumer: Consumer;
  private readonly producer;
  /** Next offset to commit per `topic:partition`, for events processed since the last commit. */
  private readonly uncommitted = new Map<string, TopicPartitionOffset>();
  private commitTimer?: NodeJS.Timeout;
  private committing: Promise<void> = Promise.resolve();
  private hasJoined = false;

  constructor(
    kafka: Kafka,
    private readonly ds: DataSource,
    private readonly opts: IdempotentConsumerOptions,
  ) {
    // A 10 s session lets a crashed member's partitions move to a survivor (or its restart) quickly.
    this.consumer = kafka.consumer({ groupId: opts.group, sessionTimeout: 10000, heartbeatInterval: 2000 });
    this.producer = kafka.producer();
  }

  async start(): Promise<void> {
    await this.producer.connect();
    await this.consumer.connect();
    for (const topic of this.opts.topics) await this.consumer.subscribe({ topic, fromBeginning: true });
    // After a rebalance the partitions may belong to another member, which re-reads from the last
    // commit; committing this member's older offsets for them would only move the group back.
    this.consumer.on(this.consumer.events.GROUP_JOIN, ({ payload }) => {
      this.uncommitted.clear();
      this.hasJoined = true;
      const partitions = Object.values(payload.memberAssignment).reduce((n, ps) => n + ps.length, 0);
      this.opts.log('info', 'joined consumer group', { group: this.opts.group, partitions, join_ms: payload.duration });
    });
    await this.consumer.run({
      // Offsets are committed on a timer (commitOffsets): every event is deduplicated anyway, so an
      // event processed after the last commit and redelivered after a crash or rebalance is dropped.
      autoCommit: false,
      partitionsConsumedConcurrently: this.opts.partitionsConsumedConcurrently ?? 3,
      eachMessage: async ({ topic, partition, message, heartbeat }) => {
        await this.onMessage(topic, partition, message, heartbeat);
        this.uncommitted.set(`${topic}:${partition}`, { topic, partition, offset: (BigInt(message.offset) + 1n).toString() });
      },
    });
    this.commitTimer = setInterval(() => void this.commitOffsets(), this.opts.commitIntervalMs ?? 1000);
  }

  /**
   * True once this member has joined its group and received an assignment (possibly empty, when
   * the group has more members than partitions). Until then, events published are not consumed by
   * this member, so readiness checks use it.
   */
  joined(): boolean {
    return this.hasJoined;
  }

  /** Commits the offsets processed so far, then leaves the group. */
  async stop(): Promise<void> {
    clearInterval(this.commitTimer);
    await this.commitOffsets();
    await this.consumer.disconnect();
    await this.producer.disconnect();
  }

  /**
   * Commits the next offset of every partition that processed events since the last commit. A
   * failed commit (e.g. during a rebalance) is logged and its offsets are kept for the next round
   * unless newer ones replaced them; whoever owns the partitions then re-reads and dedupes.
   */
  commitOffsets(): Promise<void> {
    this.committing = this.committing.then(async () => {
      if (this.uncommitted.size === 0) return;
      const batch = new Map(this.uncommitted);
      this.uncommitted.clear();
      try {
        await this.consumer.commitOffsets([...batch.values()]);
      } catch (err) {
        this.opts.log('warn', 'offset commit failed; will retry', { group: this.opts.group, reason: String(err) });
        for (const [key, offset] of batch) if (!this.uncommitted.has(key)) this.uncommitted.set(key, offset);
      }
    });
    return this.committing;
  }

  /**
   * Runs the handler for one event unless `accepts` turns it away or this group already processed
   * it (with `dedupe: 'handler'`, the handler itself deals with duplicates).
   */
  async process(event: Envelope): Promise<ProcessOutcome> {
    if (this.opts.accepts && !this.opts.accepts(event)) return 'not-accepted';
    if (this.opts.dedupe === 'handler') {
      await this.opts.handler(event, this.ds.manager);
      return 'handled';
    }
    return this.ds.transaction(async (tx) => {
      if (!(await markProcessed(tx, this.opts.group, event.event_id))) return 'duplicate';
      await this.opts.handler(event, tx);
      return 'handled';
    });
  }

  private async onMessage(topic: string, partition: number, message: KafkaMessage, heartbeat: () => Promise<void>): Promise<void> {
    let event: Envelope;
    try {
      event = decodeEnvelope(message.value);
    } catch (err) {
      if (!(err instanceof EnvelopeDecodeError)) throw err;
      await this.park(topic, partition, message, err.message, 1);
      return;
    }
    const maxAttempts = this.opts.maxAttempts ?? 5;
    let delay = this.opts.retryDelayMs ?? 500;
    for (let attempt = 1; ; attempt++) {
      try {
        const outcome = await this.process(event);
        if (outcome === 'duplicate') this.opts.log('info', 'duplicate event dropped', { group: this.opts.group, event_id: event.event_id });
        return;
      } catch (err) {
        const reason = err instanceof Error ? err.message : String(err);
        if (attempt >= maxAttempts) {
          await this.park(topic, partition, message, reason, attempt);
          return;
        }
        this.opts.log('warn', 'event handler failed, retrying', { group: this.opts.group, event_id: event.event_id, attempt, reason });
        await new Promise((r) => setTimeout(r, delay));
        delay *= 2;
        await heartbeat();
      }
    }
  }

  /** Copies the record to `<topic>.dlq` with the DEAD_LETTER_HEADERS (read back by KafkaDeadLetterRepository). */
  private async park(topic: string, partition: number, message: KafkaMessage, reason: string, attempts: number): Promise<void> {
    this.opts.log('error', 'event parked on dead-letter topic', { group: this.opts.group, topic, offset: message.offset, reason });
    const parked: Record<DeadLetterHeader, string> = {
      error: reason,
      group: this.opts.group,
      'original-topic': topic,
      'original-partition': String(partition),
      'original-offset': message.offset,
      attempts: String(attempts),
    };
    await this.producer.send({
      topic: deadLetterTopic(topic),
      acks: -1,
      messages: [{ key: message.key, value: message.value, headers: { ...message.headers, ...parked } }],
    });
  }
}
