import { randomUUID } from 'node:crypto';
import { scratchDatabaseWithProject } from '../support/integration';
import { pruneOutbox, pruneProcessedEvents, startRetentionSweep } from '../../apps/workers/src/retention/retention';

describe('retention sweep of the outbox and of processed_events (real Postgres)', () => {
  const { db } = scratchDatabaseWithProject();

  /** Inserts an outbox row created `ageHours` ago, published then when `published`; returns its event id. */
  const outboxRow = async (ageHours: number, published: boolean): Promise<string> => {
    const eventId = randomUUID();
    await db.ds.query(
      `INSERT INTO outbox (event_id, topic, key, type, payload, created_at, published_at)
       VALUES ($1, 't', 'k', 'x', '{}', now() - make_interval(hours => $2), CASE WHEN $3 THEN now() - make_interval(hours => $2) END)`,
      [eventId, ageHours, published],
    );
    return eventId;
  };
  const outboxIds = async (): Promise<string[]> =>
    ((await db.ds.query(`SELECT event_id FROM outbox ORDER BY id`)) as Array<{ event_id: string }>).map((r) => r.event_id);

  beforeEach(() => db.ds.query(`TRUNCATE outbox, processed_events`));

  it('deletes published rows past the retention, in batches, and keeps recent and unpublished ones', async () => {
    const old: string[] = [];
    for (let i = 0; i < 7; i++) old.push(await outboxRow(200, true));
    const oldUnpublished = await outboxRow(500, false);
    const recent = await outboxRow(2, true);
    const fresh = await outboxRow(0, false);
    expect(await pruneOutbox(db.ds.manager, 168, 3)).toBe(7);
    expect(await outboxIds()).toEqual([oldUnpublished, recent, fresh]);
    expect(await pruneOutbox(db.ds.manager, 168, 3)).toBe(0);
    expect(await pruneOutbox(db.ds.manager, 1, 3)).toBe(1);
    expect(await outboxIds()).toEqual([oldUnpublished, fresh]);
  });

  it('steps over old unpublished rows at the head of the table instead of stalling on them', async () => {
    const stuck: string[] = [];
    for (let i = 0; i < 4; i++) stuck.push(await outboxRow(300, false));
    for (let i = 0; i < 5; i++) await outboxRow(200, true);
    const recent = await outboxRow(2, true);
    expect(await pruneOutbox(db.ds.manager, 168, 3)).toBe(5);
    expect(await outboxIds()).toEqual([...stuck, recent]);
  });

  it('deletes dedupe records older than the retention and keeps the rest', async () => {
    const insert = (consumer: string, ageHours: number) =>
      db.ds.query(`INSERT INTO processed_events (consumer, event_id, processed_at) VALUES ($1, $2, now() - make_interval(hours => $3))`, [
        consumer,
        randomUUID(),
        ageHours,
      ]);
    for (let i = 0; i < 5; i++) await insert(i % 2 ? 'callbacks' : 'orchestrator', 170);
    await insert('callbacks', 160);
    expect(await pruneProcessedEvents(db.ds.manager, 168, 2)).toBe(5);
    const left: Array<{ consumer: string; hours: number }> = await db.ds.query(
      `SELECT consumer, round(extract(epoch FROM now() - processed_at) / 3600)::int AS hours FROM processed_events`,
    );
    expect(left).toEqual([{ consumer: 'callbacks', hours: 160 }]);
  });

  it('sweeps once at start, and a concurrent sweep deletes each row once', async () => {
    for (let i = 0; i < 40; i++) await outboxRow(200, true);
    const [a, b] = await Promise.all([pruneOutbox(db.ds.manager, 168, 4), pruneOutbox(db.ds.manager, 168, 4)]);
    expect(a + b).toBe(40);
    await outboxRow(200, true);
    const logs: Array<Record<string, unknown> | undefined> = [];
    const sweep = startRetentionSweep(db.ds.manager, { outboxHours: 168, processedEventsHours: 168 }, 60_000, (_l, _m, extra) =>
      logs.push(extra),
    );
    await sweep.stop();
    expect(await outboxIds()).toEqual([]);
    expect(logs).toEqual([{ outbox: 1, processed_events: 0 }]);
  });
});
