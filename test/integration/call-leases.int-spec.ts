import { newId } from '@gw/database';
import { ScratchDatabase } from '@gw/stack-client';
import { CallStore } from '../../apps/call-orchestrator/src/call-store';

describe('call leases on real Postgres: one orchestrator replica drives a call', () => {
  const db = new ScratchDatabase(process.env.DATABASE_URL!);
  let callId: string;

  beforeAll(async () => {
    await db.create();
    const projectId = newId('prj');
    callId = newId('call');
    await db.ds.query(`INSERT INTO projects (id, name, webhook_secret) VALUES ($1, 'p', 'whsec_x')`, [projectId]);
    await db.ds.query(
      `INSERT INTO calls (id, project_id, direction, to_number, from_number, status, flow_document, timeout_s, time_limit_s)
       VALUES ($1, $2, 'outbound', '+14155550100', '+14155550101', 'queued', '{}', 30, 60)`,
      [callId, projectId],
    );
  });
  afterAll(() => db.drop());

  it('refuses a second replica while the lease holds, hands the call over once it expires', async () => {
    const a = new CallStore(db.ds, 'replica-a', 400);
    const b = new CallStore(db.ds, 'replica-b', 400);
    const [first, second] = await Promise.all([a.claim(callId), b.claim(callId)]);
    expect([first, second].filter(Boolean)).toHaveLength(1);
    const holder = first ? a : b;
    const other = first ? b : a;
    expect(await other.claim(callId)).toBeNull();
    await holder.renewLeases();
    expect(await holder.claim(callId)).not.toBeNull();
    await new Promise((r) => setTimeout(r, 600));
    expect(await other.claim(callId)).not.toBeNull();
    expect(await holder.claim(callId)).toBeNull();
  });

  it('never hands out an ended call', async () => {
    const store = new CallStore(db.ds, 'replica-c', 400);
    await db.ds.query(`UPDATE calls SET ended_at = now(), owner = NULL WHERE id = $1`, [callId]);
    expect(await store.claim(callId)).toBeNull();
  });
});
