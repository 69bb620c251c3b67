import { randomUUID } from 'node:crypto';
import { newId } from '@gw/database';
import { DomainError, ErrorCode } from '@gw/errors';
import type { Envelope } from '@gw/kafka';
import { ScratchDatabase } from '@gw/stack-client';
import { AuditContext, AuditLogRepository } from '../../apps/api/src/audit/audit-log.repository';
import type { CallbackUrlPolicy } from '../../apps/api/src/common/callback-urls';
import { NumbersRepository } from '../../apps/api/src/numbers/numbers.repository';
import { NumbersUseCases } from '../../apps/api/src/numbers/numbers.usecases';
import { SenderIdsRepository } from '../../apps/api/src/numbers/sender-ids.repository';
import { SenderIdsUseCases } from '../../apps/api/src/numbers/sender-ids.usecases';
import { SenderPolicy } from '../../apps/api/src/numbers/sender-policy';
import { pendingCallbackJob } from '../../apps/workers/src/callbacks/callback-dispatch';

/** The error a promise rejects with, or a failure when it resolves. */
async function rejection(p: Promise<unknown>): Promise<DomainError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(err instanceof DomainError)) throw new Error(`expected a DomainError, got ${String(err)}`);
  return err;
}

/**
 * Sender ownership, the number management use cases and MO routing against a migrated scratch
 * database: the repositories' lookups behind SenderPolicy, grants and releases with their audit
 * records, and the callback dispatcher's choice of URL for an MO.
 */
describe('numbers and sender ids (real Postgres)', () => {
  const db = new ScratchDatabase(process.env.DATABASE_URL!);
  const a = newId('prj');
  const b = newId('prj');
  const project: AuditContext = { actor: 'key:gw_live_abc', ip: '127.0.0.1', userAgent: 'jest' };
  const operator: AuditContext = { actor: 'operator', ip: '127.0.0.1', userAgent: 'jest' };
  let numbers: NumbersRepository;
  let senderIds: SenderIdsRepository;
  let policy: SenderPolicy;
  let numberUseCases: NumbersUseCases;
  let grants: SenderIdsUseCases;

  beforeAll(async () => {
    await db.create();
    await db.ds.query(
      `INSERT INTO projects (id, name, webhook_secret, default_callback_url)
       VALUES ($1, 'a', 'whsec_a', 'https://a.example.com/default'), ($2, 'b', 'whsec_b', 'https://b.example.com/default')`,
      [a, b],
    );
    numbers = new NumbersRepository(db.ds);
    senderIds = new SenderIdsRepository(db.ds);
    policy = new SenderPolicy(numbers, senderIds);
    const audit = new AuditLogRepository(db.ds);
    // Callback address rules have tests of their own; here every URL passes.
    const anyUrl = { assertDeliverable: () => undefined } as unknown as CallbackUrlPolicy;
    numberUseCases = new NumbersUseCases(db.ds, numbers, audit, policy, anyUrl);
    grants = new SenderIdsUseCases(db.ds, senderIds, audit, policy);
  });
  afterAll(() => db.drop());

  async function assign(projectId: string, e164: string): Promise<string> {
    const id = newId('pn');
    await db.ds.query(`INSERT INTO phone_numbers (id, project_id, e164) VALUES ($1, $2, $3)`, [id, projectId, e164]);
    return id;
  }

  async function auditRows(
    projectId: string,
    action: string,
  ): Promise<Array<{ actor: string; target: string; detail: Record<string, unknown> }>> {
    return db.ds.query(`SELECT actor, target, detail FROM admin_audit_log WHERE project_id = $1 AND action = $2 ORDER BY created_at, id`, [
      projectId,
      action,
    ]);
  }

  const moEvent = (projectId: string, to: string): Envelope => ({
    event_id: randomUUID(),
    type: 'message.received',
    key: 'msg_mo',
    payload: {
      id: 'msg_mo',
      project_id: projectId,
      direction: 'inbound',
      status: 'received',
      to,
      from: '+14155550999',
      status_callback: null,
    },
    created_at: '2026-11-21T10:00:00.000Z',
    headers: {},
  });

  it('lets only the owner of a number send SMS and place calls from it', async () => {
    await assign(a, '+15550100001');
    expect(await numbers.isOwned(a, '+15550100001')).toBe(true);
    expect(await numbers.isOwned(b, '+15550100001')).toBe(false);
    await expect(policy.assertMayUse(a, '+15550100001', 'sms')).resolves.toBeUndefined();
    await expect(policy.assertMayUse(a, '+15550100001', 'voice')).resolves.toBeUndefined();
    for (const channel of ['sms', 'voice'] as const) {
      const err = await rejection(policy.assertMayUse(b, '+15550100001', channel));
      expect(err.code).toBe(ErrorCode.Forbidden);
      expect(err.fields.map((f) => f.field)).toEqual(['from']);
    }
    await db.ds.transaction(async (tx) => {
      expect(await numbers.isOwned(a, '+15550100001', tx)).toBe(true);
    });
  });

  it('grants a sender id once per project, to several projects, audited once; it is matched exactly', async () => {
    const first = await grants.grant(operator, a, 'ACME');
    expect(first).toMatchObject({ id: expect.stringMatching(/^snd_/), project_id: a, sender_id: 'ACME' });
    expect(await grants.grant(operator, a, 'ACME')).toEqual(first);
    const other = await grants.grant(operator, b, 'ACME');
    expect(other.id).not.toBe(first.id);
    expect(await grants.list(a)).toEqual([first]);
    expect(await auditRows(a, 'sender_id.granted')).toEqual([{ actor: 'operator', target: first.id, detail: { sender_id: 'ACME' } }]);

    expect(await senderIds.isGranted(a, 'ACME')).toBe(true);
    expect(await senderIds.isGranted(a, 'Acme')).toBe(false);
    await expect(policy.assertMayUse(b, 'ACME', 'sms')).resolves.toBeUndefined();
    const err = await rejection(policy.assertMayUse(a, 'SHOP', 'sms'));
    expect(err.code).toBe(ErrorCode.Forbidden);
    expect(err.fields).toEqual([{ field: 'from', message: 'is not an alphanumeric sender id granted to this project' }]);
    expect((await rejection(grants.grant(operator, newId('prj'), 'ACME'))).code).toBe(ErrorCode.NotFound);
    expect((await rejection(grants.list(newId('prj')))).code).toBe(ErrorCode.NotFound);
  });

  it("revokes a grant by sender id or grant id: refused at once on this process, other projects' grants untouched", async () => {
    await grants.grant(operator, a, 'ACME');
    await policy.assertMayUse(a, 'ACME', 'sms');
    await grants.revoke(operator, a, 'ACME');
    expect((await rejection(policy.assertMayUse(a, 'ACME', 'sms'))).code).toBe(ErrorCode.Forbidden);
    await expect(policy.assertMayUse(b, 'ACME', 'sms')).resolves.toBeUndefined();

    const shop = await grants.grant(operator, a, 'SHOP 24');
    await grants.revoke(operator, a, shop.id);
    expect(await senderIds.isGranted(a, 'SHOP 24')).toBe(false);
    expect((await auditRows(a, 'sender_id.revoked')).map((r) => r.detail)).toEqual([{ sender_id: 'ACME' }, { sender_id: 'SHOP 24' }]);
    expect((await rejection(grants.revoke(operator, a, 'SHOP 24'))).code).toBe(ErrorCode.NotFound);
    expect((await rejection(grants.revoke(operator, a, 'snd_000000000000000000000000'))).code).toBe(ErrorCode.NotFound);
  });

  it("updates a number's routing, audited without the callback URL's path; only the owner, only its own flows", async () => {
    const id = await assign(a, '+15550100002');
    const flowA = newId('flw');
    const flowB = newId('flw');
    await db.ds.query(`INSERT INTO flows (id, project_id, name) VALUES ($1, $2, 'a'), ($3, $4, 'b')`, [flowA, a, flowB, b]);

    const updated = await numberUseCases.update(project, a, id, {
      voice_flow_id: flowA,
      sms_callback_url: 'https://hooks.example.com/mo?token=s3cret',
    });
    expect(updated).toMatchObject({
      id,
      e164: '+15550100002',
      voice_flow_id: flowA,
      sms_callback_url: 'https://hooks.example.com/mo?token=s3cret',
    });
    expect(await numberUseCases.get(a, id)).toEqual(updated);
    const [record] = await auditRows(a, 'number.updated');
    expect(record).toEqual({
      actor: 'key:gw_live_abc',
      target: id,
      detail: { e164: '+15550100002', voice_flow_id: flowA, sms_callback_url: 'https://hooks.example.com' },
    });

    expect(await numberUseCases.update(project, a, id, { voice_flow_id: null })).toMatchObject({
      voice_flow_id: null,
      sms_callback_url: 'https://hooks.example.com/mo?token=s3cret',
    });
    expect((await rejection(numberUseCases.update(project, b, id, { voice_flow_id: flowB }))).code).toBe(ErrorCode.NotFound);
    const foreignFlow = await rejection(numberUseCases.update(project, a, id, { voice_flow_id: flowB }));
    expect(foreignFlow.code).toBe(ErrorCode.NotFound);
    expect(foreignFlow.fields.map((f) => f.field)).toEqual(['voice_flow_id']);
    expect(await numberUseCases.update(project, a, id, {})).toMatchObject({ voice_flow_id: null });
    expect((await rejection(numberUseCases.update(project, b, id, {}))).code).toBe(ErrorCode.NotFound);
    expect((await rejection(numberUseCases.get(b, id))).code).toBe(ErrorCode.NotFound);
    expect(await auditRows(a, 'number.updated')).toHaveLength(2);
  });

  it("calls an MO back at its number's sms_callback_url, else at the project's default URL", async () => {
    const routed = await assign(a, '+15550100003');
    await assign(a, '+15550100004');
    await numberUseCases.update(project, a, routed, { sms_callback_url: 'https://hooks.example.com/mo' });
    expect(await pendingCallbackJob(db.ds.manager, moEvent(a, '+15550100003'))).toMatchObject({
      url: 'https://hooks.example.com/mo',
      payload: { type: 'message.inbound' },
    });
    expect((await pendingCallbackJob(db.ds.manager, moEvent(a, '+15550100004')))?.url).toBe('https://a.example.com/default');
    const status = { ...moEvent(a, '+15550100003'), type: 'message.status_changed' };
    expect((await pendingCallbackJob(db.ds.manager, status))?.url).toBe('https://a.example.com/default');
  });

  it('releases a number: off the list, refused as a sender at once, MOs to the project default, assignable again; audited', async () => {
    const id = await assign(a, '+15550100005');
    await numberUseCases.update(project, a, id, { sms_callback_url: 'https://hooks.example.com/released' });
    await policy.assertMayUse(a, '+15550100005', 'sms');
    expect((await rejection(numberUseCases.release(project, b, id))).code).toBe(ErrorCode.NotFound);

    await numberUseCases.release(project, a, id);
    expect((await numberUseCases.list(a, { limit: 100 })).data.map((n) => n.id)).not.toContain(id);
    expect((await rejection(numberUseCases.get(a, id))).code).toBe(ErrorCode.NotFound);
    expect(await numbers.isOwned(a, '+15550100005')).toBe(false);
    expect((await rejection(policy.assertMayUse(a, '+15550100005', 'sms'))).code).toBe(ErrorCode.Forbidden);
    expect((await pendingCallbackJob(db.ds.manager, moEvent(a, '+15550100005')))?.url).toBe('https://a.example.com/default');
    expect(await auditRows(a, 'number.released')).toEqual([{ actor: 'key:gw_live_abc', target: id, detail: { e164: '+15550100005' } }]);
    expect((await rejection(numberUseCases.release(project, a, id))).code).toBe(ErrorCode.NotFound);

    await assign(b, '+15550100005');
    await expect(policy.assertMayUse(b, '+15550100005', 'voice')).resolves.toBeUndefined();
  });

  it("pages a project's numbers newest first and shows no other project's", async () => {
    const c = newId('prj');
    await db.ds.query(`INSERT INTO projects (id, name, webhook_secret) VALUES ($1, 'c', 'whsec_c')`, [c]);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push(await assign(c, `+1555020000${i}`));
      await db.ds.query(`UPDATE phone_numbers SET created_at = now() + make_interval(secs => $2) WHERE id = $1`, [ids[i], i]);
    }
    const first = await numberUseCases.list(c, { limit: 2 });
    expect(first.data.map((n) => n.id)).toEqual([ids[2], ids[1]]);
    expect(first.next_cursor).toEqual(expect.any(String));
    const second = await numberUseCases.list(c, { limit: 2, cursor: first.next_cursor! });
    expect(second).toEqual({ data: [expect.objectContaining({ id: ids[0], e164: '+15550200000' })], next_cursor: null });
    expect((await numberUseCases.list(b, {})).data.map((n) => n.e164)).toEqual(['+15550100005']);
  });
});
