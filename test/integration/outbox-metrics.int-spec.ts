import type { Envelope, EventPublisher } from '@gw/kafka';
import { OutboxRelay, OutboxStatsRepository, writeOutbox } from '@gw/outbox';
import { ScratchDatabase } from '@gw/stack-client';

/** A publisher that keeps what it is given (the relay's Kafka side is not under test here). */
class KeepingPublisher implements EventPublisher {
  readonly published: Array<{ topic: string; envelopes: Envelope[] }> = [];
  async publish(topic: string, envelopes: Envelope[]): Promise<void> {
    this.published.push({ topic, envelopes });
  }
}

/** What the workers' outbox metrics read (gw_outbox_unpublished, gw_outbox_lag_seconds, gw_relay_published_total), on real Postgres. */
describe('outbox backlog and relay throughput (real Postgres)', () => {
  const db = new ScratchDatabase(process.env.DATABASE_URL!);
  beforeAll(() => db.create());
  afterAll(() => db.drop());

  it('reads the unpublished rows and the age of the oldest, and reports each published batch per topic once committed', async () => {
    const stats = new OutboxStatsRepository(db.ds.manager);
    expect(await stats.backlog()).toEqual({ unpublished: 0, oldestAgeSeconds: 0 });

    await db.ds.transaction((tx) =>
      writeOutbox(tx, [
        { topic: 'a.v1', key: 'k1', type: 't', payload: {} },
        { topic: 'a.v1', key: 'k2', type: 't', payload: {} },
        { topic: 'b.v1', key: 'k3', type: 't', payload: {} },
      ]),
    );
    await db.ds.query(`UPDATE outbox SET created_at = now() - interval '120 seconds' WHERE key = 'k2'`);
    const backlog = await stats.backlog();
    expect(backlog.unpublished).toBe(3);
    expect(backlog.oldestAgeSeconds).toBeGreaterThanOrEqual(120);
    expect(backlog.oldestAgeSeconds).toBeLessThan(180);

    const reported: Array<[string, number]> = [];
    const relay = new OutboxRelay(db.ds, new KeepingPublisher(), {
      batchSize: 10,
      idleMs: 10,
      log: () => undefined,
      onPublished: (topic, count) => reported.push([topic, count]),
    });
    expect(await relay.relayOnce()).toBe(3);
    expect(reported.sort()).toEqual([
      ['a.v1', 2],
      ['b.v1', 1],
    ]);
    expect(await stats.backlog()).toEqual({ unpublished: 0, oldestAgeSeconds: 0 });
  });

  it('reports nothing for a batch that was not published', async () => {
    await db.ds.transaction((tx) => writeOutbox(tx, [{ topic: 'c.v1', key: 'k4', type: 't', payload: {} }]));
    const reported: string[] = [];
    const failing: EventPublisher = {
      publish: async () => {
        throw new Error('broker unavailable');
      },
    };
    const relay = new OutboxRelay(db.ds, failing, {
      batchSize: 10,
      idleMs: 10,
      log: () => undefined,
      onPublished: (t) => reported.push(t),
    });
    await expect(relay.relayOnce()).rejects.toThrow('broker unavailable');
    expect(reported).toEqual([]);
    expect((await new OutboxStatsRepository(db.ds.manager).backlog()).unpublished).toBe(1);
  });
});
