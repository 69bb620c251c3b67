import { createHash, randomUUID } from 'node:crypto';
import { Admin, Consumer, IHeaders, Kafka, KafkaMessage, Producer } from 'kafkajs';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError } from '@gw/errors';
import { DEAD_LETTER_HEADERS } from './idempotent-consumer';
import { withinKafkaTimeout, withKafkaAdmin } from './kafka-unavailable';

/**
 * One record of a dead-letter topic (`<topic>.dlq`, written by IdempotentConsumer). `id` is its
 * place there, `<partition>-<offset>`: the same event may be parked more than once (a replay that
 * fails again), and an undecodable record has no event id. The rest comes from the
 * DEAD_LETTER_HEADERS and the envelope; records parked before those headers existed have null
 * `original_partition`, `original_offset` and `attempts`.
 */
export interface KafkaDeadLetter {
  id: string;
  topic: string;
  partition: number;
  offset: string;
  original_topic: string;
  original_partition: number | null;
  original_offset: string | null;
  /** The consumer group that gave up on it. */
  group: string | null;
  event_id: string | null;
  event_type: string | null;
  key: string | null;
  /** `payload.project_id` of the envelope, when it has one. */
  project_id: string | null;
  /** The `error` header: the last attempt's error, or why the record could not be decoded. */
  reason: string;
  attempts: number | null;
  /** ISO-8601: the dead-letter record's timestamp. */
  failed_at: string;
  /** The envelope as parsed JSON, or the value as text when it is not JSON (null when empty). */
  value: unknown;
}

/** Which entries a page, replay or purge covers (all when absent). */
export type KafkaDeadLetterFilter = (entry: KafkaDeadLetter) => boolean;

/** A page, newest first; `next_offset` is the list position of the next page (null on the last). */
export interface KafkaDeadLetterPage {
  data: KafkaDeadLetter[];
  next_offset: number | null;
}

/** Outcome of a replay: the entries republished, and the asked-for ids not on offer (absent, already replayed or purged). */
export interface KafkaReplayOutcome {
  done: string[];
  missing: string[];
}

/** Outcome of a purge: records deleted and where each partition's log now starts. */
export interface KafkaPurgeOutcome {
  purged: number;
  partitions: Array<{ partition: number; low: string }>;
}

/** Newest records read per partition of a dead-letter topic; older ones are not offered (purge them). */
export const MAX_SCAN_PER_PARTITION = 5000;

/** processed_events consumer name under which replayed dead-letter records are recorded. */
export const REPLAYED_CONSUMER = 'dlq-replayed';

/** An entry id as `KafkaDeadLetter.id` gives it: `<partition>-<offset>`. */
export const KAFKA_DEAD_LETTER_ID = /^(0|[1-9]\d{0,5})-(0|[1-9]\d{0,18})$/;

/**
 * The processed_events key of a dead-letter record: a name-based UUID (SHA-1, RFC 9562 5.5 layout)
 * of `<topic>/<partition>/<offset>`, since processed_events keys are UUIDs.
 */
export function replayedKey(topic: string, partition: number, offset: string): string {
  const h = createHash('sha1').update(`${topic}/${partition}/${offset}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

interface Scanned {
  entry: KafkaDeadLetter;
  message: KafkaMessage;
}

/**
 * The Kafka dead-letter topics, read and acted on for operators. Reads use a throwaway consumer
 * group that commits nothing (Kafka has no group-less fetch in kafkajs), up to the log end seen when
 * the read began; the newest MAX_SCAN_PER_PARTITION records of each partition are offered.
 *
 * Replays republish a record's key, value and headers (so the same event id) to its original topic:
 * every group there sees it again, and the idempotent consumers process it at most once (the group
 * that parked it never recorded it; the others drop it by event id or their own ledger). A replayed
 * record is recorded in processed_events (consumer REPLAYED_CONSUMER, key replayedKey) in the
 * transaction that republishes it, which also claims it: concurrent replays republish it once, and
 * it is not offered again. Keep PROCESSED_EVENTS_RETENTION_HOURS at least the dead-letter topics'
 * retention, or a replayed record still on the topic is offered again once its row is swept.
 * Purges delete records with DeleteRecords: everything of a partition before an offset.
 * Every Kafka call is bounded by `timeoutMs` (ms); Kafka not answering is a 503 naming it. Give it
 * a client made with OPERATOR_RETRY, so that a refused connection fails within that time.
 */
export class KafkaDeadLetterRepository {
  constructor(
    private readonly kafka: Kafka,
    private readonly ds: DataSource,
    private readonly timeoutMs = 10000,
  ) {}

  /**
   * Up to `limit` entries from list position `offset`, newest first (by record timestamp), those
   * passing `matches`, replayed ones left out.
   * @throws DomainError not_found (topic) | service_unavailable
   */
  async list(topic: string, offset: number, limit: number, matches?: KafkaDeadLetterFilter): Promise<KafkaDeadLetterPage> {
    const entries = (await this.offered(topic)).map((s) => s.entry).filter((e) => !matches || matches(e));
    const data = entries.slice(offset, offset + limit);
    return { data, next_offset: offset + limit < entries.length ? offset + limit : null };
  }

  /** Ids of every entry on offer passing `matches`, newest first. @throws DomainError not_found (topic) | service_unavailable */
  async ids(topic: string, matches?: KafkaDeadLetterFilter): Promise<string[]> {
    return (await this.offered(topic)).filter((s) => !matches || matches(s.entry)).map((s) => s.entry.id);
  }

  /** One entry on offer, or null (absent, replayed, purged). @throws DomainError not_found (topic) | service_unavailable */
  async get(topic: string, id: string): Promise<KafkaDeadLetter | null> {
    return (await this.offered(topic)).find((s) => s.entry.id === id)?.entry ?? null;
  }

  /**
   * Republishes the entries `ids` to their original topics (see the class), in one Postgres
   * transaction that records them as replayed and then runs `within` (e.g. the audit row): should
   * the publish fail, nothing is recorded. An id not on offer, or claimed by a concurrent replay,
   * is reported missing.
   * @throws DomainError not_found (topic) | service_unavailable
   */
  async replay(
    topic: string,
    ids: readonly string[],
    within: (tx: EntityManager, outcome: KafkaReplayOutcome) => Promise<void>,
  ): Promise<KafkaReplayOutcome> {
    const byId = new Map((await this.offered(topic)).map((s) => [s.entry.id, s]));
    return this.ds.transaction(async (tx) => {
      const outcome: KafkaReplayOutcome = { done: [], missing: [] };
      const claimed: Scanned[] = [];
      for (const id of ids) {
        const s = byId.get(id);
        const won = s && (await claim(tx, s.entry));
        if (won) claimed.push(s);
        else outcome.missing.push(id);
      }
      if (claimed.length) await this.republish(claimed);
      outcome.done = claimed.map((s) => s.entry.id);
      await within(tx, outcome);
      return outcome;
    });
  }

  /**
   * Deletes the records of each partition before its offset (Kafka DeleteRecords); without `upTo`,
   * every record there now (up to each partition's log end).
   * @throws DomainError not_found (topic) | validation_failed naming `partitions` (an unknown
   *   partition, an offset outside the log) | service_unavailable
   */
  purge(topic: string, upTo?: ReadonlyArray<{ partition: number; offset: string }>): Promise<KafkaPurgeOutcome> {
    return this.withAdmin(async (admin) => {
      const logs = await this.logsOf(admin, topic);
      const targets = upTo ?? logs.map(({ partition, high }) => ({ partition, offset: high }));
      for (const { partition, offset } of targets) {
        const log = logs.find((l) => l.partition === partition);
        if (!log) throw DomainError.invalid('partitions', `${topic} has no partition ${partition} (it has ${logs.length})`);
        if (BigInt(offset) < BigInt(log.low) || BigInt(offset) > BigInt(log.high)) {
          throw DomainError.invalid(
            'partitions',
            `offset ${offset} of partition ${partition} is outside its log (${log.low} to ${log.high})`,
          );
        }
      }
      const moving = targets.filter(({ partition, offset }) => BigInt(offset) > BigInt(logs.find((l) => l.partition === partition)!.low));
      if (moving.length) await admin.deleteTopicRecords({ topic, partitions: moving.map((t) => ({ ...t })) });
      const after = (await admin.fetchTopicOffsets(topic)).sort((a, b) => a.partition - b.partition);
      let purged = 0n;
      for (const { partition, low } of after) purged += BigInt(low) - BigInt(logs.find((l) => l.partition === partition)!.low);
      return { purged: Number(purged), partitions: after.map(({ partition, low }) => ({ partition, low })) };
    });
  }

  /** The entries on offer, newest first: records read (see the class) less those recorded as replayed. */
  private async offered(topic: string): Promise<Scanned[]> {
    const scanned = await this.scan(topic);
    if (!scanned.length) return [];
    const keys = scanned.map((s) => replayedKey(topic, s.entry.partition, s.entry.offset));
    const rows: Array<{ event_id: string }> = await this.ds.query(
      `SELECT event_id FROM processed_events WHERE consumer = $1 AND event_id = ANY($2::uuid[])`,
      [REPLAYED_CONSUMER, keys],
    );
    const replayed = new Set(rows.map((r) => r.event_id));
    return scanned
      .filter((_, i) => !replayed.has(keys[i]!))
      .sort((a, b) => Date.parse(b.entry.failed_at) - Date.parse(a.entry.failed_at) || b.entry.id.localeCompare(a.entry.id));
  }

  /** Reads every partition from max(log start, end - MAX_SCAN_PER_PARTITION) to the log end seen now. */
  private scan(topic: string): Promise<Scanned[]> {
    let consumer: Consumer | undefined;
    const admin = this.kafka.admin();
    return withinKafkaTimeout(
      this.timeoutMs,
      async () => {
        await admin.connect();
        const ranges = new Map<number, { start: bigint; end: bigint }>();
        for (const { partition, low, high } of await this.logsOf(admin, topic)) {
          const end = BigInt(high);
          const start = end - BigInt(MAX_SCAN_PER_PARTITION) > BigInt(low) ? end - BigInt(MAX_SCAN_PER_PARTITION) : BigInt(low);
          if (end > start) ranges.set(partition, { start, end });
        }
        if (!ranges.size) return [];
        const scanned: Scanned[] = [];
        const pending = new Set(ranges.keys());
        consumer = this.kafka.consumer({
          groupId: `gw-admin-read-${randomUUID()}`,
          maxWaitTimeInMs: 200,
          sessionTimeout: 10000,
        });
        const reader = consumer;
        await reader.connect();
        await reader.subscribe({ topic, fromBeginning: true });
        // Records before a partition's start are skipped anyway; the seek only spares reading them.
        reader.on(reader.events.GROUP_JOIN, () => {
          for (const [partition, { start }] of ranges) reader.seek({ topic, partition, offset: start.toString() });
        });
        await new Promise<void>((resolve, reject) => {
          reader
            .run({
              autoCommit: false,
              eachBatch: async ({ batch }) => {
                const range = ranges.get(batch.partition);
                if (!range || !pending.has(batch.partition)) return;
                for (const message of batch.messages) {
                  const at = BigInt(message.offset);
                  if (at >= range.start && at < range.end) scanned.push({ entry: entryOf(topic, batch.partition, message), message });
                }
                if (BigInt(batch.lastOffset()) + 1n >= range.end) {
                  pending.delete(batch.partition);
                  if (!pending.size) resolve();
                }
              },
            })
            .catch(reject);
        });
        return scanned;
      },
      async () => {
        await consumer?.disconnect();
        await admin.disconnect();
      },
    );
  }

  private async republish(claimed: Scanned[]): Promise<void> {
    const producer: Producer = this.kafka.producer({ allowAutoTopicCreation: false });
    await withinKafkaTimeout(
      this.timeoutMs,
      async () => {
        await producer.connect();
        const byTopic = new Map<string, Scanned[]>();
        for (const s of claimed) byTopic.set(s.entry.original_topic, [...(byTopic.get(s.entry.original_topic) ?? []), s]);
        await producer.sendBatch({
          acks: -1,
          timeout: this.timeoutMs,
          topicMessages: [...byTopic].map(([topic, items]) => ({
            topic,
            messages: items.map(({ entry, message }) => ({
              key: message.key,
              value: message.value,
              headers: { ...originalHeaders(message.headers), 'dlq-replayed-from': `${entry.topic}/${entry.id}` },
            })),
          })),
        });
      },
      () => producer.disconnect(),
    );
  }

  private async logsOf(admin: Admin, topic: string): Promise<Array<{ partition: number; low: string; high: string }>> {
    if (!(await admin.listTopics()).includes(topic)) throw DomainError.notFound(`dead-letter topic '${topic.slice(0, 100)}'`);
    return (await admin.fetchTopicOffsets(topic)).map(({ partition, low, high }) => ({ partition, low, high }));
  }

  private withAdmin<T>(op: (admin: Admin) => Promise<T>): Promise<T> {
    return withKafkaAdmin(this.kafka, this.timeoutMs, op);
  }
}

/** Records the entry as replayed; true for the one transaction that did. */
async function claim(tx: EntityManager, entry: KafkaDeadLetter): Promise<boolean> {
  const rows: unknown[] = await tx.query(
    `INSERT INTO processed_events (consumer, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1`,
    [REPLAYED_CONSUMER, replayedKey(entry.topic, entry.partition, entry.offset)],
  );
  return rows.length > 0;
}

function header(headers: IHeaders | undefined, name: string): string | null {
  const v = headers?.[name];
  if (v === undefined || v === null) return null;
  const one = Array.isArray(v) ? v[v.length - 1] : v;
  return one === undefined ? null : one.toString();
}

/** The original record's headers: the dead-letter ones removed, so a replay that fails again is parked with fresh ones. */
function originalHeaders(headers: IHeaders | undefined): IHeaders {
  const out: IHeaders = {};
  const parked = new Set<string>(DEAD_LETTER_HEADERS);
  for (const [k, v] of Object.entries(headers ?? {})) if (!parked.has(k) && k !== 'dlq-replayed-from' && v !== undefined) out[k] = v;
  return out;
}

function entryOf(topic: string, partition: number, message: KafkaMessage): Scanned['entry'] {
  const h = message.headers;
  let value: unknown = null;
  if (message.value?.length) {
    const text = message.value.toString('utf8');
    try {
      value = JSON.parse(text);
    } catch {
      value = text;
    }
  }
  const envelope = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  const payload = typeof envelope.payload === 'object' && envelope.payload !== null ? (envelope.payload as Record<string, unknown>) : {};
  const str = (v: unknown) => (typeof v === 'string' ? v : null);
  const num = (v: string | null) => (v !== null && /^\d+$/.test(v) ? Number(v) : null);
  return {
    id: `${partition}-${message.offset}`,
    topic,
    partition,
    offset: message.offset,
    original_topic: header(h, 'original-topic') ?? topic.replace(/\.dlq$/, ''),
    original_partition: num(header(h, 'original-partition')),
    original_offset: header(h, 'original-offset'),
    group: header(h, 'group'),
    event_id: header(h, 'event-id') ?? str(envelope.event_id),
    event_type: header(h, 'event-type') ?? str(envelope.type),
    key: message.key ? message.key.toString('utf8') : null,
    project_id: str(payload.project_id),
    reason: header(h, 'error') ?? '',
    attempts: num(header(h, 'attempts')),
    failed_at: new Date(Number(message.timestamp)).toISOString(),
    value,
  };
}
