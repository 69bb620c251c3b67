import { newId } from '@gw/database';
import { ScratchDatabase } from '@gw/stack-client';
import { CallStore } from '../../apps/call-orchestrator/src/call-store';

describe('call leases on real Postgres: one orchestrator replica drives a call', () => {
  const db = new ScratchDatabase(process.env.DATABASE_URL!);
  let callId: string;
  const projectId = newId('prj');

  const insertCall = async (status: string, extra: { owner?: string; leaseMs?: number; ended?: boolean; ageS?: number } = {}) => {
    const id = newId('call');
    await db.ds.query(
      `INSERT INTO calls (id, project_id, direction, to_number, from_number, status, flow_document, timeout_s, time_limit_s,
                          owner, lease_expires_at, ended_at, created_at)
       VALUES ($1, $2, 'outbound', '+14155550100', '+14155550101', $3, '{}', 30, 60, $4,
               now() + ($5 || ' milliseconds')::interval, CASE WHEN $6 THEN now() END, now() - ($7 || ' seconds')::interval)`,
      [id, projectId, status, extra.owner ?? null, String(extra.leaseMs ?? 0), extra.ended ?? false, String(extra.ageS ?? 0)],
    );
    return id;
  };

  beforeAll(async () => {
    await db.create();
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

  it('reconciles only live calls this replica may drive, never ended ones however old', async () => {
    const store = new CallStore(db.ds, 'replica-r', 400);
    const mine = await insertCall('in-progress', { owner: 'replica-r', leaseMs: 60_000, ageS: 600 });
    const orphaned = await insertCall('ringing', { owner: 'replica-gone', leaseMs: -1_000, ageS: 600 });
    const unowned = await insertCall('answered', { ageS: 600 });
    const staleQueued = await insertCall('queued', { ageS: 60 });
    await insertCall('queued', { ageS: 0 });
    await insertCall('in-progress', { owner: 'replica-other', leaseMs: 60_000, ageS: 600 });
    await insertCall('completed', { ended: true, ageS: 3_600 });
    await insertCall('failed', { owner: 'replica-r', leaseMs: -1_000, ended: true, ageS: 3_600 });
    expect((await store.reconcilable()).sort()).toEqual([mine, orphaned, unowned, staleQueued].sort());
  });
});
