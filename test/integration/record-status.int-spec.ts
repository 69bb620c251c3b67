import { MessageEntity, newId } from '@gw/database';
import type { MessageStatus } from '@gw/database';
import { recordStatus } from '@gw/sms';
import { insertQueuedMessage, scratchDatabaseWithProject } from '../support/integration';

const RANK: Record<string, number> = { queued: 0, sending: 1, sent: 2, delivered: 3, undelivered: 3 };

describe('recordStatus on real Postgres: guarded single-statement transitions', () => {
  const { db, projectId } = scratchDatabaseWithProject();

  const newMessage = () => insertQueuedMessage(db, projectId);
  const report = (messageId: string, status: MessageStatus, providerMessageId?: string) =>
    recordStatus(db.ds.manager, { messageId, status, source: 'dlr', providerMessageId, carrierStatus: status.toUpperCase() });
  const history = async (messageId: string) => {
    const timeline: Array<{ from_status: string | null; status: string }> = await db.ds.query(
      `SELECT from_status, status FROM message_status_events WHERE message_id = $1 ORDER BY occurred_at, status`,
      [messageId],
    );
    const events: Array<{ previous: string | null; status: string }> = await db.ds.query(
      `SELECT payload->>'previous_status' AS previous, payload->>'status' AS status FROM outbox WHERE key = $1 ORDER BY id`,
      [messageId],
    );
    const [row]: Array<{ status: string; provider_message_id: string | null }> = await db.ds.query(
      `SELECT status, provider_message_id FROM messages WHERE id = $1`,
      [messageId],
    );
    return { timeline, events, row };
  };

  it('applies progress once, ignores duplicates and regressions, keeps the first provider id', async () => {
    const id = await newMessage();
    expect(await report(id, 'sending')).toEqual({ applied: true, found: true, previous: 'queued' });
    expect(await report(id, 'sent', 'jasmin-1')).toEqual({ applied: true, found: true, previous: 'sending' });
    expect(await report(id, 'sent', 'jasmin-2')).toEqual({ applied: false, found: true, previous: 'sent' });
    expect(await report(id, 'delivered')).toEqual({ applied: true, found: true, previous: 'sent' });
    expect(await report(id, 'sending')).toEqual({ applied: false, found: true, previous: 'delivered' });
    expect(await report(newId('msg'), 'delivered')).toEqual({ applied: false, found: false });
    const h = await history(id);
    expect(h.row).toEqual({ status: 'delivered', provider_message_id: 'jasmin-1' });
    expect(h.timeline).toEqual([
      { from_status: 'queued', status: 'sending' },
      { from_status: 'sending', status: 'sent' },
      { from_status: 'sent', status: 'delivered' },
    ]);
    const [{ payload }]: Array<{ payload: Record<string, unknown> }> = await db.ds.query(
      `SELECT payload FROM outbox WHERE key = $1 ORDER BY id LIMIT 1`,
      [id],
    );
    expect(payload).toMatchObject({
      id,
      project_id: projectId,
      direction: 'outbound',
      to: '+14155550100',
      from: 'ACME',
      encoding: 'GSM-7',
      segments: 1,
      status_callback: null,
      carrier_status: 'SENDING',
    });
    expect(h.events).toEqual([
      { previous: 'queued', status: 'sending' },
      { previous: 'sending', status: 'sent' },
      { previous: 'sent', status: 'delivered' },
    ]);
  });

  it('stores a provider id that arrives with a report that is not progress', async () => {
    const id = await newMessage();
    await report(id, 'delivered');
    expect(await report(id, 'sent', 'jasmin-late')).toMatchObject({ applied: false });
    expect((await history(id)).row).toEqual({ status: 'delivered', provider_message_id: 'jasmin-late' });
  });

  it('a stale row passed as known is caught by the guard and the report re-evaluated', async () => {
    const id = await newMessage();
    const stale = await db.ds.getRepository(MessageEntity).findOneByOrFail({ id });
    await report(id, 'sent');
    const result = await recordStatus(db.ds.manager, { messageId: id, status: 'sending', source: 'connector' }, stale);
    expect(result).toEqual({ applied: false, found: true, previous: 'sent' });
    expect((await history(id)).timeline).toEqual([{ from_status: 'queued', status: 'sent' }]);
  });

  it('concurrent reports for one message leave one strictly rising chain, one event per applied change', async () => {
    const reports: MessageStatus[] = ['sending', 'sent', 'sent', 'delivered', 'undelivered', 'delivered', 'sending', 'sent'];
    for (let round = 0; round < 15; round++) {
      const id = await newMessage();
      const shuffled = [...reports].sort(() => Math.random() - 0.5);
      const results = await Promise.all(shuffled.map((s) => report(id, s)));
      const h = await history(id);
      expect(['delivered', 'undelivered']).toContain(h.row.status);
      expect(h.timeline).toHaveLength(results.filter((r) => r.applied).length);
      expect(h.events).toHaveLength(h.timeline.length);
      let current = 'queued';
      for (const step of [...h.timeline].sort((a, b) => RANK[a.status] - RANK[b.status])) {
        expect(step.from_status).toBe(current);
        expect(RANK[step.status]).toBeGreaterThan(RANK[current]);
        current = step.status;
      }
      expect(current).toBe(h.row.status);
    }
  });
});
