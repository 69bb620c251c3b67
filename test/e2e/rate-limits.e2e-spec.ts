import { ChildProcess } from 'node:child_process';
import { GatewayClient, HttpAnswer } from '@gw/stack-client';
import { anotherApi, stop } from '../support/another-api';
import { E2e, env, ErrorBody, TestProject } from '../support/e2e';

const header = (res: HttpAnswer, name: string) => res.headers[name] as string | undefined;

/**
 * Rate limits against the running api: an operator's per-project limit (set through the admin
 * route) answered with 429 `rate_limited`, `Retry-After` and the draft RateLimit fields; the fields
 * on successful answers too; other projects, other credentials and other endpoint classes
 * unaffected; one counter shared by two api processes through Redis (the e2e api runs
 * API_WORKERS=1, so the test starts a second process itself); and an api whose Redis is
 * unreachable letting requests through (fail open).
 */
describe('rate limits', () => {
  const t = new E2e();
  const secret = env('OPERATOR_SECRET');
  let a: TestProject;
  let b: TestProject;

  beforeAll(async () => {
    await t.start();
    [a, b] = await Promise.all([t.project('limits-a'), t.project('limits-b')]);
  });
  afterAll(() => t.stop());

  const list = (gw: GatewayClient) => gw.getRaw('/v1/messages?limit=1');

  it('shows the defaults as the effective limits of a new project', async () => {
    const limits = await t.api.rateLimits(secret, a.id);
    expect(Object.keys(limits).sort()).toEqual([
      'calls:read',
      'calls:write',
      'flows',
      'messages:read',
      'messages:send',
      'numbers',
      'opt-outs',
      'usage:read',
    ]);
    for (const l of Object.values(limits))
      expect(l).toEqual({ per_key: expect.any(Number), per_project: expect.any(Number), window_s: expect.any(Number) });
  });

  it('refuses a bad or missing body naming the field, an unknown project, and a missing operator secret', async () => {
    const bad = await t.api.setRateLimits(secret, a.id, { 'messages:read': { per_key: 0, per_project: 3, window_s: 30 }, sms: {} });
    expect(bad.status).toBe(400);
    const fields = ((bad.body as unknown as ErrorBody).error.fields ?? []).map((f) => f.field);
    expect(fields).toEqual(expect.arrayContaining(['messages:read.per_key', 'sms']));
    // No body is no reset: only {} returns a project to the defaults.
    expect((await t.api.setRateLimits(secret, a.id, undefined)).status).toBe(400);
    expect((await t.api.setRateLimits(secret, 'prj_doesnotexist', {})).status).toBe(404);
    expect((await t.api.setRateLimits('not-the-operator-secret', a.id, {})).status).toBe(401);
  });

  it('answers 429 past a project limit, with Retry-After and the RateLimit fields, and the fields on every 200', async () => {
    const set = await t.api.setRateLimits(secret, a.id, { 'messages:read': { per_key: 100, per_project: 3, window_s: 30 } });
    expect(set.status).toBe(200);
    expect(set.body['messages:read']).toEqual({ per_key: 100, per_project: 3, window_s: 30 });
    expect((await t.api.rateLimits(secret, a.id))['messages:read']).toEqual({ per_key: 100, per_project: 3, window_s: 30 });

    for (const left of [2, 1, 0]) {
      const ok = await list(a.gw);
      expect(ok.status).toBe(200);
      expect(header(ok, 'ratelimit-policy')).toBe('"messages:read/project";q=3;w=30');
      expect(header(ok, 'ratelimit')).toMatch(new RegExp(`^"messages:read/project";r=${left};t=([1-9]|[12]\\d|30)$`));
    }
    const limited = await list(a.gw);
    expect(limited.status).toBe(429);
    expect((limited.body as ErrorBody).error.code).toBe('rate_limited');
    expect(JSON.stringify(limited.body)).toContain('messages:read/project');
    expect(Number(header(limited, 'retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(header(limited, 'retry-after'))).toBeLessThanOrEqual(30);
    expect(header(limited, 'ratelimit-policy')).toBe('"messages:read/project";q=3;w=30');
    expect(header(limited, 'ratelimit')).toMatch(/^"messages:read\/project";r=0;t=\d+$/);
    // Another class of the same project has its own counters.
    const calls = await a.gw.getRaw('/v1/calls?limit=1');
    expect(calls.status).toBe(200);
    expect(header(calls, 'ratelimit')).toMatch(/^"calls:read\/key";r=\d+;t=\d+$/);
  });

  it('leaves another project at its defaults', async () => {
    const defaults = (await t.api.rateLimits(secret, b.id))['messages:read'];
    const res = await list(b.gw);
    expect(res.status).toBe(200);
    expect(header(res, 'ratelimit-policy')).toBe(`"messages:read/key";q=${defaults.per_key};w=${defaults.window_s}`);
  });

  it('limits each credential apart within its project', async () => {
    const p = await t.project('limits-keys');
    const other = t.api.as(await t.api.createApiKey(secret, p.id));
    expect((await t.api.setRateLimits(secret, p.id, { 'messages:read': { per_key: 2, per_project: 100, window_s: 30 } })).status).toBe(200);
    expect((await list(p.gw)).status).toBe(200);
    expect((await list(p.gw)).status).toBe(200);
    const limited = await list(p.gw);
    expect(limited.status).toBe(429);
    expect(header(limited, 'ratelimit')).toMatch(/^"messages:read\/key";r=0;/);
    const res = await list(other);
    expect(res.status).toBe(200);
    expect(header(res, 'ratelimit')).toMatch(/^"messages:read\/key";r=1;/);
  });

  describe('across api processes', () => {
    let other: { api: ChildProcess; gw: GatewayClient };
    beforeAll(async () => {
      other = await anotherApi();
    });
    afterAll(() => stop(other?.api));

    it('counts one project limit in Redis, whichever process answers', async () => {
      const p = await t.project('limits-replicas');
      expect((await t.api.setRateLimits(secret, p.id, { 'messages:read': { per_key: 100, per_project: 4, window_s: 30 } })).status).toBe(
        200,
      );
      const key = await t.api.createApiKey(secret, p.id);
      const clients = [t.api.as(key), other.gw.as(key)];
      const left: string[] = [];
      for (let i = 0; i < 4; i++) {
        const res = await list(clients[i % 2]);
        expect(res.status).toBe(200);
        left.push(/;r=(\d+);/.exec(header(res, 'ratelimit') ?? '')?.[1] ?? '?');
      }
      expect(left).toEqual(['3', '2', '1', '0']);
      for (const gw of clients) {
        const res = await list(gw);
        expect(res.status).toBe(429);
        expect((res.body as ErrorBody).error.code).toBe('rate_limited');
      }
    });
  });

  describe('with Redis unreachable', () => {
    let cut: { api: ChildProcess; gw: GatewayClient };
    beforeAll(async () => {
      cut = await anotherApi({ REDIS_URL: 'redis://127.0.0.1:9/0' });
    });
    afterAll(() => stop(cut?.api));

    it('fails open: requests pass at once, past the limit, with RateLimit-Policy only', async () => {
      const p = await t.project('limits-no-redis');
      expect((await t.api.setRateLimits(secret, p.id, { 'messages:read': { per_key: 1, per_project: 1, window_s: 30 } })).status).toBe(200);
      const key = await t.api.createApiKey(secret, p.id);
      for (let i = 0; i < 3; i++) {
        const started = Date.now();
        const res = await list(cut.gw.as(key));
        expect(res.status).toBe(200);
        expect(Date.now() - started).toBeLessThan(1000);
        expect(header(res, 'ratelimit-policy')).toBe('"messages:read/key";q=1;w=30');
        expect(header(res, 'ratelimit')).toBeUndefined();
      }
    });
  });
});
