import { ChildProcess } from 'node:child_process';
import { GatewayClient, HttpAnswer } from '@gw/stack-client';
import { verifyWebhook, type WebhookSecret } from '@gw/security';
import { anotherApi, stop } from '../support/another-api';
import { E2e, env, ErrorBody, eventually, TestProject, uniqueNumber } from '../support/e2e';

interface KeyBody {
  id: string;
  prefix: string;
  name: string | null;
  scopes: string[] | null;
  status: string;
  expires_at: string | null;
  revoked_at: string | null;
  api_key?: string;
}

/**
 * API key lifecycle against the running api and a second api process sharing Postgres and Redis:
 * keys with scopes (403 naming the missing scope), expiry, revocation refused by the other process
 * within a second, rotation with an overlap, listing without secrets, webhook secret rotation with
 * both signatures during the overlap, and every action in the operator's audit log.
 */
describe('API key lifecycle', () => {
  const t = new E2e();
  const secret = env('OPERATOR_SECRET');
  let p: TestProject;
  let other: { api: ChildProcess; gw: GatewayClient };

  beforeAll(async () => {
    await t.start();
    p = await t.project('api-keys');
    other = await anotherApi();
  });
  afterAll(async () => {
    await stop(other?.api);
    await t.stop();
  });

  const admin = <T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown) =>
    t.api.adminRaw<T>(secret, method, `/admin/projects/${p.id}${path}`, body);
  const newKey = async (body: Record<string, unknown> = {}) => {
    const res = await admin<KeyBody>('POST', '/api-keys', body);
    expect(res.status).toBe(201);
    return res.body;
  };
  const list = (gw: GatewayClient) => gw.getRaw('/v1/messages?limit=1');
  const codeOf = (res: HttpAnswer) => (res.body as ErrorBody).error?.code;

  it('a key with scopes may do only what they grant: a 403 names the missing scope', async () => {
    const key = await newKey({ name: 'reader', scopes: ['messages:read'] });
    expect(key).toMatchObject({ name: 'reader', scopes: ['messages:read'], status: 'active' });
    const gw = t.api.as(key.api_key!);
    expect((await list(gw)).status).toBe(200);
    const denied = await gw.getRaw('/v1/calls');
    expect(denied.status).toBe(403);
    expect(denied.body).toMatchObject({ error: { code: 'forbidden' } });
    expect((denied.body as ErrorBody & { error: { message: string } }).error.message).toContain('calls:read');
    const send = await gw.sendRaw({ to: '+14155550100', from: '+14155550101', body: 'no scope' });
    expect(send.status).toBe(403);
    expect(JSON.stringify(send.body)).toContain('messages:send');
  });

  it('refuses bad key specifications with a 400 naming the field', async () => {
    for (const [body, field] of [
      [{ scopes: ['messages:sudo'] }, 'scopes'],
      [{ scopes: [] }, 'scopes'],
      [{ expires_at: '2001-01-01T00:00:00Z' }, 'expires_at'],
      [{ name: 'x'.repeat(101) }, 'name'],
    ] as const) {
      const res = await admin('POST', '/api-keys', body);
      expect(res.status).toBe(400);
      expect((res.body as ErrorBody).error.fields?.map((f) => f.field)).toContain(field);
    }
  });

  it('an expired key is refused', async () => {
    const key = await newKey({ expires_at: new Date(Date.now() + 1500).toISOString() });
    const gw = t.api.as(key.api_key!);
    expect((await list(gw)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1600));
    const res = await list(gw);
    expect(res.status).toBe(401);
    expect(codeOf(res)).toBe('unauthenticated');
  });

  it('a key revoked on one api process is refused by the other within a second', async () => {
    const key = await newKey({ name: 'to revoke' });
    const here = t.api.as(key.api_key!);
    const there = other.gw.as(key.api_key!);
    // Both processes have the key cached now.
    expect((await list(here)).status).toBe(200);
    expect((await list(there)).status).toBe(200);
    const revoked = await admin<KeyBody>('DELETE', `/api-keys/${key.id}`);
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ id: key.id, status: 'revoked' });
    const at = Date.now();
    await eventually(async () => ((await list(there)).status === 401 ? true : undefined), 1000, 'the other process to refuse the key', 20);
    expect(Date.now() - at).toBeLessThan(1000);
    expect((await list(here)).status).toBe(401);
    expect((await admin('DELETE', `/api-keys/${key.id}`)).status).toBe(200);
    expect((await admin('DELETE', '/api-keys/key_doesnotexist')).status).toBe(404);
  });

  it('rotation: both keys work during the overlap; with no overlap the old one stops at once everywhere', async () => {
    const key = await newKey({ name: 'rotating', scopes: ['messages:read', 'calls:read'] });
    const rotated = await admin<{ key: KeyBody; previous: KeyBody }>('POST', `/api-keys/${key.id}/rotate`, { overlap_s: 3600 });
    expect(rotated.status).toBe(201);
    expect(rotated.body.key).toMatchObject({ name: 'rotating', scopes: ['messages:read', 'calls:read'], status: 'active' });
    expect(Date.parse(rotated.body.previous.expires_at!)).toBeGreaterThan(Date.now() + 3500_000);
    expect((await list(t.api.as(key.api_key!))).status).toBe(200);
    expect((await list(other.gw.as(rotated.body.key.api_key!))).status).toBe(200);

    const again = await admin<{ key: KeyBody; previous: KeyBody }>('POST', `/api-keys/${rotated.body.key.id}/rotate`, { overlap_s: 0 });
    expect(again.status).toBe(201);
    await eventually(async () => ((await list(other.gw.as(rotated.body.key.api_key!))).status === 401 ? true : undefined), 1000);
    expect((await list(t.api.as(again.body.key.api_key!))).status).toBe(200);
    const revokedOne = await admin('POST', `/api-keys/${rotated.body.key.id}/rotate`, {});
    expect(revokedOne.status).toBe(409);
  });

  it('lists keys without secrets', async () => {
    const res = await admin<{ data: KeyBody[] }>('GET', '/api-keys?limit=100');
    expect(res.status).toBe(200);
    expect(res.body.data.length).toBeGreaterThanOrEqual(6);
    expect(new Set(res.body.data.map((k) => k.status))).toEqual(new Set(['active', 'expired', 'revoked']));
    const text = JSON.stringify(res.body);
    expect(text).not.toContain('gw_live_');
    expect(text).not.toMatch(/hash/i);
  });

  it('webhook secret rotation: callbacks carry signatures by both secrets during the overlap', async () => {
    const old = p.webhookSecret as WebhookSecret;
    const res = await admin<{ webhook_secret: string; previous_expires_at: string }>('POST', '/webhook-secret/rotate', { overlap_s: 600 });
    expect(res.status).toBe(201);
    const fresh = res.body.webhook_secret as WebhookSecret;
    expect(fresh).toMatch(/^whsec_/);
    p.receiver.useSecret(fresh);
    const own = uniqueNumber();
    await t.api.addNumber(secret, p.id, own);
    const sent = await p.gw.send({ to: uniqueNumber(), from: own, body: 'signed twice' });
    const cb = await eventually(async () => p.receiver.about(sent.id)[0]);
    expect(cb.verified).toBe(true);
    expect(cb.headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(() => verifyWebhook(old, cb.headers, cb.raw)).not.toThrow();
    expect(() => verifyWebhook(fresh, cb.headers, cb.raw)).not.toThrow();
  });

  it('the audit log says who did what, when and from where', async () => {
    const res = await t.api.adminRaw<{
      data: Array<{ action: string; actor: string; ip: string | null; at: string; target: string | null }>;
    }>(secret, 'GET', `/admin/audit-log?project_id=${p.id}&limit=100`);
    expect(res.status).toBe(200);
    const actions = res.body.data.map((r) => r.action);
    for (const a of [
      'project.created',
      'api_key.created',
      'api_key.revoked',
      'api_key.rotated',
      'webhook_secret.rotated',
      'number.assigned',
    ])
      expect(actions).toContain(a);
    // One revocation recorded, though the route was called twice.
    expect(actions.filter((a) => a === 'api_key.revoked')).toHaveLength(1);
    for (const r of res.body.data) {
      expect(r.actor).toBe('operator');
      expect(r.ip).toBe('127.0.0.1');
      expect(Number.isNaN(Date.parse(r.at))).toBe(false);
    }
    const bad = await t.api.adminRaw(secret, 'GET', '/admin/audit-log?project_id=nope');
    expect(bad.status).toBe(400);
  });
});
