import { DataSource } from 'typeorm';
import type { Envelope, EventPublisher } from '@gw/kafka';
import { withTraceparent } from '@gw/tracing';

/** Relay tuning: rows per batch, and how long (ms) to sleep when the outbox is empty or after an error. */
export interface OutboxRelayOptions {
  batchSize: number;
  idleMs: number;
  errorBackoffMs?: number;
  log: (level: 'error' | 'warn' | 'info', msg: string, extra?: Record<string, unknown>) => void;
  /** Called after each committed batch with the events it published to each topic. */
  onPublished?: (topic: string, count: number) => void;
}

interface OutboxRow {
  id: string;
  event_id: string;
  topic: string;
  key: string;
  type: string;
  payload: Record<string, unknown>;
  headers: Record<string, string>;
  created_at: Date;
  traceparent: string | null;
}

/** Consecutive rows of one topic written under the same trace context: one Kafka send. */
interface Run {
  traceparent: string | null;
  envelopes: Envelope[];
}

/**
 * Moves outbox rows to Kafka and nothing else. Each batch is locked with
 * `FOR UPDATE SKIP LOCKED` (several relays share the work), published, and marked
 * `published_at` in the same transaction after Kafka's ack. A crash between the ack and the
 * commit republishes the batch: consumers drop the duplicates by event id; nothing is lost.
 * Order holds per key within one relay; across relays consumers are order-tolerant.
 * Each send runs under the trace context its rows were written in (their `traceparent`), so the
 * kafkajs instrumentation carries it in the records' headers: consecutive rows of a topic that
 * share a context go in one send, and untraced rows (no context) all share one.
 */
export class OutboxRelay {
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;

  constructor(
    private readonly ds: DataSource,
    private readonly publisher: EventPublisher,
    private readonly opts: OutboxRelayOptions,
  ) {}

  /** Publishes one batch; returns how many rows it moved (0 when the outbox is empty). */
  async relayOnce(): Promise<number> {
    const published: Array<[string, number]> = [];
    const moved = await this.ds.transaction(async (tx) => {
      const rows: OutboxRow[] = await tx.query(
        `SELECT id, event_id, topic, key, type, payload, headers, created_at, traceparent FROM outbox
          WHERE published_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [this.opts.batchSize],
      );
      if (rows.length === 0) return 0;
      const byTopic = new Map<string, Run[]>();
      for (const r of rows) {
        const runs = byTopic.get(r.topic) ?? [];
        let run = runs.at(-1);
        if (!run || run.traceparent !== r.traceparent) runs.push((run = { traceparent: r.traceparent, envelopes: [] }));
        run.envelopes.push({
          event_id: r.event_id,
          type: r.type,
          key: r.key,
          payload: r.payload,
          headers: r.headers,
          created_at: new Date(r.created_at).toISOString(),
        });
        byTopic.set(r.topic, runs);
      }
      for (const [topic, runs] of byTopic) {
        for (const run of runs) await withTraceparent(run.traceparent, () => this.publisher.publish(topic, run.envelopes));
        published.push([topic, runs.reduce((n, run) => n + run.envelopes.length, 0)]);
      }
      await tx.query(`UPDATE outbox SET published_at = now() WHERE id = ANY($1::bigint[])`, [rows.map((r) => r.id)]);
      return rows.length;
    });
    for (const [topic, count] of published) this.opts.onPublished?.(topic, count);
    return moved;
  }

  /** Starts the relay loop in the background; `stop()` ends it after the current batch. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      let moved: number;
      try {
        moved = await this.relayOnce();
      } catch (err) {
        this.opts.log('error', 'outbox relay batch failed', { reason: err instanceof Error ? err.message : String(err) });
        await this.sleep(this.opts.errorBackoffMs ?? 1000);
        continue;
      }
      if (moved < this.opts.batchSize) await this.sleep(this.opts.idleMs);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.wake = null;
        resolve();
      }, ms);
      this.wake = () => {
        clearTimeout(t);
        this.wake = null;
        resolve();
      };
    });
  }
}
