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

  it('names the replica that drove a call before a takeover', async () => {
    const id = await insertCall('in-progress', { owner: 'replica-dead', leaseMs: -1_000 });
    const taker = new CallStore(db.ds, 'replica-live', 400);
    expect(await taker.claim(id)).toMatchObject({ previousOwner: 'replica-dead', call: { id, owner: 'replica-live' } });
    expect(await taker.claim(id)).toMatchObject({ previousOwner: 'replica-live' });
  });

  it('gives a role to one replica at a time, hands it over once it expired or was released', async () => {
    const a = new CallStore(db.ds, 'role-a', 300);
    const b = new CallStore(db.ds, 'role-b', 300);
    const [ha, hb] = await Promise.all([a.holdRole('inbound:pbx1'), b.holdRole('inbound:pbx1')]);
    expect([ha, hb].filter(Boolean)).toHaveLength(1);
    const [holder, other] = ha ? [a, b] : [b, a];
    expect(await holder.holdRole('inbound:pbx1')).toBe(true);
    expect(await other.holdRole('inbound:pbx1')).toBe(false);
    expect(await other.holdRole('inbound:pbx2')).toBe(true);
    await new Promise((r) => setTimeout(r, 400));
    expect(await other.holdRole('inbound:pbx1')).toBe(true);
    await other.releaseRole('inbound:pbx1');
    expect(await holder.holdRole('inbound:pbx1')).toBe(true);
  });

  it('numbers timeline entries of concurrent writers without gaps or duplicates, saving the interpreter state', async () => {
    const id = await insertCall('in-progress', { owner: 'replica-w', leaseMs: 60_000 });
    const a = new CallStore(db.ds, 'replica-w', 60_000);
    const b = new CallStore(db.ds, 'replica-x', 60_000);
    const entries = (tag: string) => [1, 2, 3].map((n) => ({ kind: 'note' as const, event: `${tag}.${n}`, detail: { n } }));
    await Promise.all([a.step(id, { at: 'a' }, entries('a')), b.step(id, undefined, entries('b')), a.step(id, { at: 'c' }, entries('c'))]);
    const rows: Array<{ seq: number; event: string }> = await db.ds.query(
      `SELECT seq, event FROM call_events WHERE call_id = $1 ORDER BY seq`,
      [id],
    );
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    for (const tag of ['a', 'b', 'c']) {
      const mine = rows.filter((r) => r.event.startsWith(`${tag}.`));
      expect(mine.map((r) => r.event)).toEqual([`${tag}.1`, `${tag}.2`, `${tag}.3`]);
      expect(mine[2].seq - mine[0].seq).toBe(2);
    }
    const [{ interpreter_state }] = await db.ds.query(`SELECT interpreter_state FROM calls WHERE id = $1`, [id]);
    expect(['a', 'c']).toContain((interpreter_state as { at: string }).at);
  });
});
