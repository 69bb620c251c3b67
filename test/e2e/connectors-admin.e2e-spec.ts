import IORedis from 'ioredis';
import type { HttpAnswer } from '@gw/stack-client';
import { E2e, env, ErrorBody, eventually, TestProject } from '../support/e2e';

/** One row of `GET /admin/audit-log`. */
interface AuditRow {
  actor: string;
  project_id: string | null;
  action: string;
  target: string | null;
  detail: Record<string, unknown>;
}

/** A connector as `/admin/connectors` returns it. */
interface ApiConnector {
  id: string;
  name: string;
  kind: string;
  settings: Record<string, unknown>;
  enabled: boolean;
  tps: number | null;
  window: number | null;
  breaker_failures: number;
  breaker_half_open_ms: number;
  breaker_override: 'open' | 'closed' | null;
  breaker?: { override: 'open' | 'closed' | null; replicas: Array<Record<string, unknown>> | null };
}

/** A route as `/admin/routes` returns it. */
interface ApiRoute {
  id: string;
  project_id: string | null;
  prefix: string;
  price: number | null;
  connector_ids: string[];
  enabled: boolean;
}

/** A literal secret the tests offer and the api must refuse, store nowhere and never answer. */
const LITERAL_SECRET = 'hunter2-literal-secret';

/**
 * The operator's connector registry and SMS routes against the running api: create, read (with the
 * replicas' circuit breaker states from Redis), change, disable (never delete) connectors and force
 * their breaker; create, list, change and delete routes. Bad input is a 400 naming the field
 * (`kind`, `settings.<field>`, a literal secret, `prefix`, `connector_ids.<i>`), a taken name a 409;
 * each write shows in the audit log and is announced on gw:connectors:changed; no answer ever
 * carries a secret.
 */
describe('connector registry and SMS routes (operator API)', () => {
  const t = new E2e();
  const secret = env('OPERATOR_SECRET');
  const redis = new IORedis(env('REDIS_URL'), { maxRetriesPerRequest: 1, commandTimeout: 2000 });
  const subscriber = new IORedis(env('REDIS_URL'), { maxRetriesPerRequest: 1 });
  const notices: string[] = [];
  const answers: HttpAnswer[] = [];
  const created: string[] = [];
  // Names are unique per run: the stack's database keeps the connectors of earlier runs.
  const run = `${Date.now().toString(36)}-${process.pid}`;
  const settings = { url: 'http://127.0.0.1:1401', username: 'gw', password_ref: 'env:JASMIN_PASSWORD' };
  let p: TestProject;

  beforeAll(async () => {
    await t.start();
    p = await t.project('connectors-admin');
    subscriber.on('message', (_channel: string, message: string) => notices.push(message));
    await subscriber.subscribe('gw:connectors:changed');
  });
  afterAll(async () => {
    // The stack's connector processes load every enabled connector: leave none of these running.
    for (const id of created) await t.api.adminRaw(secret, 'DELETE', `/admin/connectors/${id}`);
    redis.disconnect();
    subscriber.disconnect();
    await t.stop();
  });

  const admin = async <T = unknown>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown) => {
    const res = await t.api.adminRaw<T>(secret, method, path, body);
    answers.push(res);
    return res;
  };
  const fieldsOf = (res: HttpAnswer) => (res.body as ErrorBody).error?.fields?.map((f) => f.field);
  const messageOf = (res: HttpAnswer) => JSON.stringify((res.body as ErrorBody).error);
  const name = (what: string) => `e2e-${what}-${run}`;
  const createConnector = async (what: string, extra: Record<string, unknown> = {}): Promise<ApiConnector> => {
    const res = await admin<ApiConnector>('POST', '/admin/connectors', { name: name(what), kind: 'jasmin', settings, ...extra });
    expect([res.status, res.body]).toEqual([201, expect.objectContaining({ name: name(what) })]);
    created.push(res.body.id);
    return res.body;
  };
  const audit = async (action: string, target: string): Promise<AuditRow[]> => {
    const res = await admin<{ data: AuditRow[] }>('GET', `/admin/audit-log?action=${action}&limit=100`);
    expect(res.status).toBe(200);
    return res.body.data.filter((r) => r.target === target);
  };

  it('refuses a request without the operator secret', async () => {
    expect((await t.api.adminRaw('not-the-operator-secret', 'GET', '/admin/connectors')).status).toBe(401);
    expect((await t.api.adminRaw('not-the-operator-secret', 'GET', '/admin/routes')).status).toBe(401);
  });

  it('registers a connector with the defaults, audits it and announces it to the connector processes', async () => {
    notices.length = 0;
    const c = await createConnector('create', { tps: 40 });
    expect(c).toMatchObject({
      id: expect.stringMatching(/^conn_/),
      kind: 'jasmin',
      settings,
      enabled: true,
      tps: 40,
      window: null,
      breaker_failures: 5,
      breaker_half_open_ms: 5000,
      breaker_override: null,
    });
    await eventually(async () => (notices.length > 0 ? true : undefined), 2000, 'a notice on gw:connectors:changed');
    expect(notices).toContain('');
    expect(await audit('connector.created', c.id)).toEqual([
      expect.objectContaining({ actor: 'operator', project_id: null, detail: expect.objectContaining({ name: name('create'), settings }) }),
    ]);

    const listed = await admin<{ data: ApiConnector[]; next_cursor: string | null }>('GET', '/admin/connectors?limit=100');
    expect(listed.status).toBe(200);
    expect(listed.body.data.map((x) => x.id)).toContain(c.id);
  });

  it('answers 400 naming kind, settings.<field> or the literal secret, and 409 naming a taken name', async () => {
    const bad = async (body: Record<string, unknown>) => {
      const res = await admin('POST', '/admin/connectors', { name: name('bad'), kind: 'jasmin', settings, ...body });
      expect(res.status).toBe(400);
      return res;
    };
    expect(fieldsOf(await bad({ kind: 'carrier-pigeon' }))).toEqual(['kind']);
    expect(fieldsOf(await bad({ settings: { ...settings, url: 'ftp://jasmin' } }))).toEqual(['settings.url']);
    expect(fieldsOf(await bad({ settings: { ...settings, timeout_ms: 1 } }))).toEqual(['settings.timeout_ms']);
    expect(fieldsOf(await bad({ settings: { ...settings, password_ref: LITERAL_SECRET } }))).toEqual(['settings.password_ref']);
    const literal = await bad({ settings: { url: settings.url, username: 'gw', password: LITERAL_SECRET } });
    expect(fieldsOf(literal)).toEqual(['settings.password']);
    expect(messageOf(literal)).toContain('password_ref');
    expect(fieldsOf(await bad({ settings: { ...settings, api_key: LITERAL_SECRET } }))).toEqual(['settings.api_key']);
    expect(fieldsOf(await bad({ name: 'Not A Name' }))).toEqual(['name']);
    expect(fieldsOf(await bad({ tps: 0, breaker_failures: null }))).toEqual(['tps', 'breaker_failures']);
    const listed = await admin<{ data: ApiConnector[] }>('GET', '/admin/connectors?limit=100');
    expect(listed.body.data.map((c) => c.name)).not.toContain(name('bad'));

    await createConnector('taken');
    const taken = await admin('POST', '/admin/connectors', { name: name('taken'), kind: 'jasmin', settings });
    expect(taken.status).toBe(409);
    expect((taken.body as ErrorBody).error.code).toBe('conflict');
    expect(fieldsOf(taken)).toEqual(['name']);
  });

  it("reads a connector with its breaker override and each replica's breaker state", async () => {
    // Disabled, so no running sms-connector adds a state of its own next to the one written here.
    const c = await createConnector('read', { enabled: false });
    const key = `gw:breaker:${c.id}`;
    const record = { state: 'half-open', since: '2026-01-01T00:00:00.000Z', failures: 5, reported_at: Date.now(), heartbeat_ms: 60_000 };
    await redis.hset(key, 'e2e-replica', JSON.stringify(record));
    try {
      const res = await admin<ApiConnector>('GET', `/admin/connectors/${c.id}`);
      expect(res.status).toBe(200);
      expect(res.body.breaker).toEqual({
        override: null,
        replicas: [{ replica: 'e2e-replica', state: 'half-open', since: '2026-01-01T00:00:00.000Z', failures: 5 }],
      });
    } finally {
      await redis.del(key);
    }
    expect((await admin('GET', '/admin/connectors/conn_doesnotexist')).status).toBe(404);
  });

  it('changes any field but the kind, checks settings again, and audits each change', async () => {
    const c = await createConnector('patch');
    const other = await createConnector('patch-other');
    const res = await admin<ApiConnector>('PATCH', `/admin/connectors/${c.id}`, {
      tps: null,
      window: 25,
      breaker_half_open_ms: 2000,
      settings: { ...settings, timeout_ms: 3000 },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ kind: 'jasmin', tps: null, window: 25, breaker_half_open_ms: 2000, settings: { timeout_ms: 3000 } });
    expect((await audit('connector.updated', c.id))[0].detail).toMatchObject({ changes: { window: { before: null, after: 25 } } });

    expect(fieldsOf(await admin('PATCH', `/admin/connectors/${c.id}`, { kind: 'jasmin' }))).toEqual(['kind']);
    expect(fieldsOf(await admin('PATCH', `/admin/connectors/${c.id}`, { settings: { url: settings.url } }))).toEqual(['settings.username']);
    expect(fieldsOf(await admin('PATCH', `/admin/connectors/${c.id}`, { settings: { ...settings, token: LITERAL_SECRET } }))).toEqual([
      'settings.token',
    ]);
    expect((await admin('PATCH', `/admin/connectors/${c.id}`)).status).toBe(400);
    const rename = await admin('PATCH', `/admin/connectors/${c.id}`, { name: other.name });
    expect([rename.status, fieldsOf(rename)]).toEqual([409, ['name']]);
    expect((await admin('PATCH', '/admin/connectors/conn_doesnotexist', { tps: 1 })).status).toBe(404);
  });

  it('DELETE disables the connector (idempotent, audited once) and PATCH enables it again', async () => {
    const c = await createConnector('disable');
    for (let i = 0; i < 2; i++) {
      const res = await admin<ApiConnector>('DELETE', `/admin/connectors/${c.id}`);
      expect([res.status, res.body.id, res.body.enabled]).toEqual([200, c.id, false]);
    }
    expect(await audit('connector.disabled', c.id)).toHaveLength(1);
    expect((await admin<ApiConnector>('GET', `/admin/connectors/${c.id}`)).body.enabled).toBe(false);
    expect((await admin<ApiConnector>('PATCH', `/admin/connectors/${c.id}`, { enabled: true })).body.enabled).toBe(true);
    expect((await admin('DELETE', '/admin/connectors/conn_doesnotexist')).status).toBe(404);
  });

  it('forces the breaker open or closed and returns it to automatic', async () => {
    const c = await createConnector('breaker');
    const put = (state: unknown) => admin<ApiConnector>('PUT', `/admin/connectors/${c.id}/breaker`, { state });
    expect((await put('open')).body.breaker_override).toBe('open');
    expect((await admin<ApiConnector>('GET', `/admin/connectors/${c.id}`)).body.breaker?.override).toBe('open');
    expect((await put('closed')).body.breaker_override).toBe('closed');
    expect((await put('auto')).body.breaker_override).toBeNull();
    const bad = await put('half-open');
    expect([bad.status, fieldsOf(bad)]).toEqual([400, ['state']]);
    expect((await admin('PUT', `/admin/connectors/${c.id}/breaker`)).status).toBe(400);
    expect((await audit('connector.breaker_set', c.id)).map((r) => r.detail.after)).toEqual([null, 'closed', 'open']);
  });

  it('creates, lists, changes and deletes routes; 404 naming project_id, 400 naming prefix or connector_ids.<i>', async () => {
    const [first, second] = [await createConnector('route-1'), await createConnector('route-2')];
    const created = await admin<ApiRoute>('POST', '/admin/routes', {
      project_id: p.id,
      prefix: '4477',
      price: 0.0045,
      connector_ids: [first.id, second.id],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      project_id: p.id,
      prefix: '4477',
      price: 0.0045,
      connector_ids: [first.id, second.id],
      enabled: true,
    });
    const r = created.body;
    expect(await audit('sms_route.created', r.id)).toEqual([expect.objectContaining({ project_id: p.id })]);

    // A global route would carry the MTs of the tests running alongside: disabled, and to a prefix no test sends to.
    const global = await admin<ApiRoute>('POST', '/admin/routes', { prefix: '99999', connector_ids: [second.id], enabled: false });
    expect([global.status, global.body.project_id, global.body.price, global.body.enabled]).toEqual([201, null, null, false]);

    const missingProject = await admin('POST', '/admin/routes', {
      project_id: 'prj_doesnotexist',
      prefix: '44',
      connector_ids: [first.id],
    });
    expect([missingProject.status, fieldsOf(missingProject)]).toEqual([404, ['project_id']]);
    const unknown = await admin('POST', '/admin/routes', { prefix: '44', connector_ids: [first.id, 'conn_doesnotexist'] });
    expect([unknown.status, fieldsOf(unknown)]).toEqual([400, ['connector_ids.1']]);
    for (const prefix of ['+44', '44a', '1234567890123456']) {
      const res = await admin('POST', '/admin/routes', { prefix, connector_ids: [first.id] });
      expect([res.status, fieldsOf(res)]).toEqual([400, ['prefix']]);
    }
    const noConnectors = await admin('POST', '/admin/routes', { prefix: '44', connector_ids: [] });
    expect([noConnectors.status, fieldsOf(noConnectors)]).toEqual([400, ['connector_ids']]);

    const mine = await admin<{ data: ApiRoute[] }>('GET', `/admin/routes?project_id=${p.id}&limit=100`);
    expect(mine.status).toBe(200);
    expect(mine.body.data.map((x) => x.id)).toEqual([r.id]);
    const page = await admin<{ data: ApiRoute[]; next_cursor: string | null }>('GET', '/admin/routes?limit=1');
    expect(page.body.data).toHaveLength(1);
    expect(page.body.next_cursor).not.toBeNull();
    expect((await admin('GET', '/admin/routes?project_id=nope')).status).toBe(400);
    expect(fieldsOf(await admin('GET', '/admin/routes?cursor=not-a-cursor'))).toEqual(['cursor']);

    const patched = await admin<ApiRoute>('PATCH', `/admin/routes/${r.id}`, { connector_ids: [second.id, first.id], price: null });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ connector_ids: [second.id, first.id], price: null, prefix: '4477' });
    expect(fieldsOf(await admin('PATCH', `/admin/routes/${r.id}`, { connector_ids: ['conn_doesnotexist'] }))).toEqual(['connector_ids.0']);
    expect(fieldsOf(await admin('PATCH', `/admin/routes/${r.id}`, { prefix: null }))).toEqual(['prefix']);
    expect((await admin('PATCH', '/admin/routes/rte_doesnotexist', { enabled: false })).status).toBe(404);
    expect(await audit('sms_route.updated', r.id)).toHaveLength(1);

    expect((await admin('DELETE', `/admin/routes/${r.id}`)).status).toBe(204);
    expect((await admin('DELETE', `/admin/routes/${r.id}`)).status).toBe(404);
    expect(await audit('sms_route.deleted', r.id)).toHaveLength(1);
    expect((await admin('DELETE', `/admin/routes/${global.body.id}`)).status).toBe(204);
  });

  it('never answers a secret: settings hold references only, and refused literal secrets are not repeated', async () => {
    const connectors = await admin<{ data: ApiConnector[] }>('GET', '/admin/connectors?limit=100');
    for (const c of connectors.body.data) {
      for (const key of Object.keys(c.settings))
        expect([key, /(^|[_-])(password|passwd|secret|token|api_?key)$/i.test(key)]).toEqual([key, false]);
    }
    expect(answers.length).toBeGreaterThan(20);
    for (const res of answers) expect(JSON.stringify(res.body)).not.toContain(LITERAL_SECRET);
    const [{ n }] = (
      await t.db.query<{ n: string }>(`SELECT count(*) AS n FROM connectors WHERE settings::text LIKE $1`, [`%${LITERAL_SECRET}%`])
    ).rows;
    expect(Number(n)).toBe(0);
    const [{ m }] = (
      await t.db.query<{ m: string }>(`SELECT count(*) AS m FROM admin_audit_log WHERE detail::text LIKE $1`, [`%${LITERAL_SECRET}%`])
    ).rows;
    expect(Number(m)).toBe(0);
  });
});
