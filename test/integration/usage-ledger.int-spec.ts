import { randomUUID } from 'node:crypto';
import { newId } from '@gw/database';
import { createKafka, IdempotentConsumer, type Envelope } from '@gw/kafka';
import { scratchDatabaseWithProject } from '../support/integration';
import { recordUsage, usageConsumerOptions } from '../../apps/workers/src/usage/record-usage';

const statusEvent = (messageId: string, projectId: string, status: string, at: string): Envelope => ({
  event_id: randomUUID(),
  type: 'message.status_changed',
  key: messageId,
  payload: { id: messageId, project_id: projectId, direction: 'outbound', status, segments: 3, occurred_at: at },
  created_at: at,
  headers: {},
});

describe('usage counting without a transaction: the ledger row is the deduplication (real Postgres)', () => {
  const { db, projectId } = scratchDatabaseWithProject();

  const daily = async (day: string): Promise<number | null> => {
    const rows: Array<{ quantity: string }> = await db.ds.query(
      `SELECT quantity FROM usage_daily WHERE project_id = $1 AND day = $2::date AND metric = 'sms_outbound_segments'`,
      [projectId, day],
    );
    return rows.length ? Number(rows[0].quantity) : null;
  };

  it('counts each message once across sent, delivered and redeliveries, and nothing for sending', async () => {
    const a = newId('msg');
    const b = newId('msg');
    const day = '2026-11-20';
    expect(await recordUsage(db.ds.manager, statusEvent(a, projectId, 'sending', `${day}T09:00:00.000Z`))).toBe(false);
    expect(await daily(day)).toBeNull();
    const sent = statusEvent(a, projectId, 'sent', `${day}T09:00:01.000Z`);
    expect(await recordUsage(db.ds.manager, sent)).toBe(true);
    expect(await recordUsage(db.ds.manager, { ...sent })).toBe(false);
    expect(await recordUsage(db.ds.manager, statusEvent(a, projectId, 'delivered', `${day}T09:00:05.000Z`))).toBe(false);
    expect(await daily(day)).toBe(3);
    expect(await recordUsage(db.ds.manager, statusEvent(b, projectId, 'delivered', `${day}T23:59:59.000Z`))).toBe(true);
    expect(await daily(day)).toBe(6);
  });

  it('counts concurrent deliveries of the same message once', async () => {
    const m = newId('msg');
    const day = '2026-11-19';
    const events = Array.from({ length: 8 }, (_, i) => statusEvent(m, projectId, i % 2 ? 'sent' : 'delivered', `${day}T10:00:00.000Z`));
    const counted = await Promise.all(events.map((e) => recordUsage(db.ds.manager, e)));
    expect(counted.filter(Boolean)).toHaveLength(1);
    expect(await daily(day)).toBe(3);
  });

  it('the usage consumer skips events without a metric and writes no processed_events rows', async () => {
    const consumer = new IdempotentConsumer(
      createKafka(process.env.KAFKA_BROKERS!.split(','), 'it'),
      db.ds,
      usageConsumerOptions(() => undefined),
    );
    const m = newId('msg');
    const day = '2026-11-18';
    expect(await consumer.process(statusEvent(m, projectId, 'sending', `${day}T08:00:00.000Z`))).toBe('not-accepted');
    const sent = statusEvent(m, projectId, 'sent', `${day}T08:00:01.000Z`);
    expect(await consumer.process(sent)).toBe('handled');
    expect(await consumer.process({ ...sent })).toBe('handled');
    expect(await daily(day)).toBe(3);
    const rows: unknown[] = await db.ds.query(`SELECT 1 FROM processed_events WHERE consumer = 'usage'`);
    expect(rows).toHaveLength(0);
  });
});
