import type { Pool } from 'pg';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { MessageEntity, newId } from '@gw/database';
import { ScratchDatabase } from '@gw/stack-client';
import { newOutboundMessage } from '../../apps/api/src/messages/accept-statement';
import { MessageWriter } from '../../apps/api/src/messages/message-writer';

function message(projectId: string): MessageEntity {
  return newOutboundMessage({ projectId, to: '+14155550100', from: 'ACME', body: 'hi', encoding: 'GSM-7', segments: 1 });
}

describe('MessageWriter: group commit of accepted messages (real Postgres)', () => {
  const db = new ScratchDatabase(process.env.DATABASE_URL!);
  let projectId: string;

  beforeAll(async () => {
    await db.create();
    projectId = newId('prj');
    await db.ds.query(`INSERT INTO projects (id, name, webhook_secret) VALUES ($1, 'p', 'whsec_x')`, [projectId]);
  });
  afterAll(() => db.drop());

  async function stored(ids: string[]): Promise<{ messages: number; timeline: number; outbox: number }> {
    const [row] = (await db.ds.query(
      `SELECT (SELECT count(*) FROM messages WHERE id = ANY($1))::int AS messages,
              (SELECT count(*) FROM message_status_events WHERE message_id = ANY($1) AND status = 'queued')::int AS timeline,
              (SELECT count(*) FROM outbox WHERE key = ANY($1) AND topic = 'sms.outbound.v1' AND type = 'message.requested')::int AS outbox`,
      [ids],
    )) as Array<{ messages: number; timeline: number; outbox: number }>;
    return row;
  }

  const pool = (): Pool => (db.ds.driver as PostgresDriver).master as Pool;

  it('writes 60 messages sent in one turn, each with its timeline row and outbox event, in one statement', async () => {
    const writer = new MessageWriter(db.ds);
    const query = jest.spyOn(pool(), 'query');
    const batch = Array.from({ length: 60 }, () => message(projectId));
    await Promise.all(batch.map((m, i) => writer.write({ message: m, correlationId: `corr-${i}` })));
    expect(query).toHaveBeenCalledTimes(1);
    query.mockRestore();
    expect(await stored(batch.map((m) => m.id))).toEqual({ messages: 60, timeline: 60, outbox: 60 });
    const [event] = (await db.ds.query(`SELECT payload, headers FROM outbox WHERE key = $1`, [batch[7].id])) as Array<{
      payload: unknown;
      headers: unknown;
    }>;
    expect(event).toEqual({ payload: { message_id: batch[7].id, project_id: projectId }, headers: { 'correlation-id': 'corr-7' } });
  });

  it('fails only the message Postgres rejects; its neighbours in the batch are stored', async () => {
    const writer = new MessageWriter(db.ds);
    const good = Array.from({ length: 4 }, () => message(projectId));
    const orphan = message(newId('prj'));
    const results = await Promise.allSettled([...good, orphan].map((m) => writer.write({ message: m })));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'rejected']);
    expect(await stored(good.map((m) => m.id))).toEqual({ messages: 4, timeline: 4, outbox: 4 });
    expect(await stored([orphan.id])).toEqual({ messages: 0, timeline: 0, outbox: 0 });
  });

  it('rejects every caller of a batch when the database cannot be reached, writing nothing', async () => {
    const other = new ScratchDatabase(process.env.DATABASE_URL!);
    await other.create();
    const writer = new MessageWriter(other.ds);
    await other.drop();
    const results = await Promise.allSettled([message(projectId), message(projectId)].map((m) => writer.write({ message: m })));
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });
});
