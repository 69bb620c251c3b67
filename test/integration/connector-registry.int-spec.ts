import IORedis from 'ioredis';
import { newId } from '@gw/database';
import { DomainError, ErrorCode } from '@gw/errors';
import { breakerKey, ConnectorRepository, loadRegistry, orderCandidates, REGISTRY_CHANNEL, RouteRepository } from '@gw/routing';
import { ScratchDatabase } from '@gw/stack-client';
import { ConnectorRegistryEvents } from '../../apps/api/src/admin/connectors/connector-registry-events';
import { ConnectorsUseCases } from '../../apps/api/src/admin/connectors/connectors.usecases';
import { SmsRoutesUseCases } from '../../apps/api/src/admin/connectors/sms-routes.usecases';
import { AuditContext, AuditLogRepository } from '../../apps/api/src/audit/audit-log.repository';

/** The error a promise rejects with, or a failure when it resolves. */
async function rejection(p: Promise<unknown>): Promise<DomainError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(err instanceof DomainError)) throw new Error(`expected a DomainError, got ${String(err)}`);
  return err;
}

const SETTINGS = { url: 'http://127.0.0.1:1401', username: 'gw', password_ref: 'env:JASMIN_PASSWORD' };

/**
 * The connector registry and SMS routes against a migrated scratch database and the stack's
 * Redis: the repositories (paging, name uniqueness, breaker override, route matching by prefix and
 * project, loadRegistry), and the operator use cases (audit rows in the write's transaction, change
 * announcements on gw:connectors:changed after commit, breaker states read from gw:breaker:<id>).
 */
describe('connector registry and SMS routes (real Postgres and Redis)', () => {
  const db = new ScratchDatabase(process.env.DATABASE_URL!);
  const projectA = newId('prj');
  const projectB = newId('prj');
  const operator: AuditContext = { actor: 'operator', ip: '127.0.0.1', userAgent: 'jest' };
  const redis = new IORedis(process.env.REDIS_URL!, { maxRetriesPerRequest: 1, commandTimeout: 2000 });
  const subscriber = new IORedis(process.env.REDIS_URL!, { maxRetriesPerRequest: 1 });
  const notices: string[] = [];
  const warnings: string[] = [];
  let connectors: ConnectorRepository;
  let routes: RouteRepository;
  let events: ConnectorRegistryEvents;
  let connectorUseCases: ConnectorsUseCases;
  let routeUseCases: SmsRoutesUseCases;

  beforeAll(async () => {
    await db.create();
    await db.ds.query(`INSERT INTO projects (id, name, webhook_secret) VALUES ($1, 'a', 'whsec_a'), ($2, 'b', 'whsec_b')`, [
      projectA,
      projectB,
    ]);
    connectors = new ConnectorRepository(db.ds.manager);
    routes = new RouteRepository(db.ds.manager);
    events = new ConnectorRegistryEvents(process.env.REDIS_URL!, (_level, msg) => warnings.push(msg));
    const audit = new AuditLogRepository(db.ds);
    connectorUseCases = new ConnectorsUseCases(db.ds, connectors, audit, events);
    routeUseCases = new SmsRoutesUseCases(db.ds, routes, connectors, audit, events);
    subscriber.on('message', (channel: string, message: string) => notices.push(`${channel}:${message}`));
    await subscriber.subscribe(REGISTRY_CHANNEL);
  });
  afterAll(async () => {
    events.onApplicationShutdown();
    redis.disconnect();
    subscriber.disconnect();
    await db.drop();
  });

  const create = (name: string, extra: Record<string, unknown> = {}) =>
    db.ds.transaction((tx) => connectors.create({ name, kind: 'jasmin', settings: SETTINGS, ...extra }, tx));
  const route = (projectId: string | null, prefix: string, connectorIds: string[], price: number | null = null, enabled = true) =>
    db.ds.transaction((tx) => routes.create({ projectId, prefix, price, connectorIds, enabled }, tx));
  const auditRows = (
    action: string,
    target: string,
  ): Promise<Array<{ actor: string; project_id: string | null; detail: Record<string, unknown> }>> =>
    db.ds.query(`SELECT actor, project_id, detail FROM admin_audit_log WHERE action = $1 AND target = $2 ORDER BY created_at, id`, [
      action,
      target,
    ]);
  /** Waits for the announcements published so far to arrive, then takes them. */
  const takeNotices = async (): Promise<string[]> => {
    await new Promise((r) => setTimeout(r, 100));
    return notices.splice(0);
  };

  describe('ConnectorRepository', () => {
    it('creates a connector with the column defaults and finds it by id and by name', async () => {
      const c = await create('repo-defaults');
      expect(c.id).toMatch(/^conn_[0-9A-Za-z]{24}$/);
      expect(c).toMatchObject({
        name: 'repo-defaults',
        kind: 'jasmin',
        settings: SETTINGS,
        enabled: true,
        tps: null,
        window: null,
        breakerFailures: 5,
        breakerHalfOpenMs: 5000,
        breakerOverride: null,
      });
      expect((await connectors.get(c.id))?.name).toBe('repo-defaults');
      expect((await connectors.getByName('repo-defaults'))?.id).toBe(c.id);
      expect(await connectors.get('conn_missing')).toBeNull();
    });

    it('refuses a second connector of the same name as a conflict naming name, on create and on rename', async () => {
      await create('repo-unique');
      const other = await create('repo-unique-2', { tps: 10, window: 20 });
      expect(other).toMatchObject({ tps: 10, window: 20 });
      const dup = await rejection(create('repo-unique'));
      expect(dup.code).toBe(ErrorCode.Conflict);
      expect(dup.fields.map((f) => f.field)).toEqual(['name']);
      const rename = await rejection(db.ds.transaction((tx) => connectors.update(other.id, { name: 'repo-unique' }, tx)));
      expect(rename.code).toBe(ErrorCode.Conflict);
    });

    it('updates the given fields only, replacing settings whole and moving updated_at', async () => {
      const c = await create('repo-update', { tps: 5 });
      const settings = { url: 'http://127.0.0.1:1402', username: 'other', password_ref: 'file:/run/secrets/jasmin' };
      const updated = await db.ds.transaction((tx) => connectors.update(c.id, { settings, window: 7, breakerFailures: 2 }, tx));
      expect(updated).toMatchObject({ name: 'repo-update', settings, tps: 5, window: 7, breakerFailures: 2, breakerHalfOpenMs: 5000 });
      // Compared in Postgres, to the microsecond: a JS Date keeps milliseconds, and both writes can fall in one.
      const moved = await db.ds.query('SELECT updated_at > created_at AS moved FROM connectors WHERE id = $1', [c.id]);
      expect(moved).toEqual([{ moved: true }]);
      expect(await db.ds.transaction((tx) => connectors.update('conn_missing', { tps: 1 }, tx))).toBeNull();
    });

    it('forces the breaker open or closed, back to automatic, and the schema refuses any other override', async () => {
      const c = await create('repo-breaker');
      expect((await db.ds.transaction((tx) => connectors.setBreakerOverride(c.id, 'open', tx)))?.breakerOverride).toBe('open');
      expect((await connectors.get(c.id))?.breakerOverride).toBe('open');
      expect((await db.ds.transaction((tx) => connectors.setBreakerOverride(c.id, 'closed', tx)))?.breakerOverride).toBe('closed');
      expect((await db.ds.transaction((tx) => connectors.setBreakerOverride(c.id, null, tx)))?.breakerOverride).toBeNull();
      await expect(db.ds.query(`UPDATE connectors SET breaker_override = 'half-open' WHERE id = $1`, [c.id])).rejects.toThrow(
        /connectors_breaker_override_check/,
      );
    });

    it('disables without deleting, lists enabled connectors by name and tells unknown ids', async () => {
      const c = await create('repo-disabled');
      await db.ds.transaction((tx) => connectors.setEnabled(c.id, false, tx));
      expect((await connectors.get(c.id))?.enabled).toBe(false);
      const enabled = await connectors.listEnabled();
      expect(enabled.map((e) => e.name)).not.toContain('repo-disabled');
      expect(enabled.map((e) => e.name)).toEqual([...enabled.map((e) => e.name)].sort());
      expect(await connectors.unknownIds([c.id, 'conn_nope', enabled[0].id, 'conn_other'])).toEqual(['conn_nope', 'conn_other']);
    });

    it('pages newest first without gaps or repeats', async () => {
      for (let i = 0; i < 5; i++) await create(`repo-page-${i}`);
      const seen: string[] = [];
      let after;
      for (;;) {
        const page = await connectors.list({ limit: 2, after });
        expect(page.rows.length).toBeLessThanOrEqual(2);
        seen.push(...page.rows.map((r) => r.id));
        if (!page.next) break;
        after = page.next;
      }
      const all: Array<{ id: string }> = await db.ds.query(`SELECT id FROM connectors ORDER BY created_at DESC, id DESC`);
      expect(seen).toEqual(all.map((r) => r.id));
    });
  });

  describe('RouteRepository', () => {
    let uk: string;
    let ukMobile: string;
    let global: string;
    let cheap: string;

    beforeAll(async () => {
      [uk, ukMobile, global, cheap] = (
        await Promise.all(['route-uk', 'route-uk-mobile', 'route-global', 'route-cheap'].map((n) => create(n)))
      ).map((c) => c.id);
    });

    it("matches the enabled routes whose prefix starts the destination, the project's and global ones only", async () => {
      const own = await route(projectA, '44', [uk]);
      const mobile = await route(projectA, '4477', [ukMobile, uk]);
      const everyone = await route(null, '', [global]);
      const cheapGlobal = await route(null, '44', [cheap], 0.001);
      await route(projectB, '44', [cheap]);
      await route(projectA, '447', [cheap], null, false);
      await route(projectA, '33', [cheap]);

      const ids = async (projectId: string, to: string) => (await routes.matching(projectId, to)).map((r) => r.id).sort();
      expect(await ids(projectA, '+447700900123')).toEqual([own.id, mobile.id, everyone.id, cheapGlobal.id].sort());
      expect(await ids(projectA, '+4420794600')).toEqual([own.id, everyone.id, cheapGlobal.id].sort());
      expect(await ids(projectA, '+14155550100')).toEqual([everyone.id]);
      expect((await routes.matching(projectA, '447700900123')).length).toBe(4);

      // Ranked: longest prefix, then the project's own before a cheaper global one, then the catch-all.
      expect(orderCandidates(await routes.matching(projectA, '+447700900123'), projectA)).toEqual([ukMobile, uk, cheap, global]);
      expect(orderCandidates(await routes.matching(projectB, '+447700900123'), projectB)).toEqual([cheap, global]);
    });

    it('refuses a destination that is not E.164', async () => {
      await expect(routes.matching(projectA, '+0123')).rejects.toThrow(RangeError);
      await expect(routes.matching(projectA, 'not a number')).rejects.toThrow(RangeError);
    });

    it('keeps prices exact and refuses prefixes that are not digits', async () => {
      const r = await route(projectB, '1', [uk], 0.004512);
      expect((await routes.get(r.id))?.price).toBe(0.004512);
      await expect(route(projectB, '+1', [uk])).rejects.toThrow(/sms_routes_prefix_check/);
      await expect(route(projectB, '1', [])).rejects.toThrow(/sms_routes_connector_ids_check/);
    });

    it('lists a project’s own routes or every route, newest first, in pages', async () => {
      const ofB: string[] = [];
      let after;
      for (;;) {
        const page = await routes.list({ limit: 1, after, projectId: projectB });
        ofB.push(...page.rows.map((r) => r.id));
        if (!page.next) break;
        after = page.next;
      }
      const expected: Array<{ id: string }> = await db.ds.query(
        `SELECT id FROM sms_routes WHERE project_id = $1 ORDER BY created_at DESC, id DESC`,
        [projectB],
      );
      expect(ofB).toEqual(expected.map((r) => r.id));
      expect(ofB.length).toBeGreaterThan(1);
      const everything = await routes.list({ limit: 100 });
      expect(everything.rows.some((r) => r.projectId === null)).toBe(true);
      expect(everything.next).toBeNull();
    });

    it('updates and deletes a route', async () => {
      const r = await route(projectB, '49', [uk]);
      const updated = await db.ds.transaction((tx) => routes.update(r.id, { prefix: '491', price: 0.5, connectorIds: [cheap, uk] }, tx));
      expect(updated).toMatchObject({ projectId: projectB, prefix: '491', price: 0.5, connectorIds: [cheap, uk], enabled: true });
      expect((await db.ds.transaction((tx) => routes.delete(r.id, tx)))?.id).toBe(r.id);
      expect(await routes.get(r.id)).toBeNull();
      expect(await db.ds.transaction((tx) => routes.delete(r.id, tx))).toBeNull();
    });

    it('loadRegistry reads the enabled connectors and routes', async () => {
      const snapshot = await loadRegistry(db.ds.manager);
      expect(snapshot.connectors.every((c) => c.enabled)).toBe(true);
      expect(snapshot.connectors.map((c) => c.id)).toEqual(expect.arrayContaining([uk, ukMobile, global, cheap]));
      expect(snapshot.routes.every((r) => r.enabled)).toBe(true);
      expect(snapshot.routes.length).toBeGreaterThan(0);
    });

    it("a project's routes go with the project", async () => {
      const gone = newId('prj');
      await db.ds.query(`INSERT INTO projects (id, name, webhook_secret) VALUES ($1, 'gone', 'whsec_g')`, [gone]);
      const r = await route(gone, '', [uk]);
      await db.ds.query(`DELETE FROM projects WHERE id = $1`, [gone]);
      expect(await routes.get(r.id)).toBeNull();
    });
  });

  describe('operator use cases', () => {
    it('audit each connector change in its transaction and announce it after commit; no-op requests record nothing', async () => {
      await takeNotices();
      const c = await connectorUseCases.create(operator, { name: 'uc-audited', kind: 'jasmin', settings: SETTINGS, tps: 50 });
      expect(await takeNotices()).toEqual([`${REGISTRY_CHANNEL}:`]);
      expect(await auditRows('connector.created', c.id)).toEqual([
        {
          actor: 'operator',
          project_id: null,
          detail: expect.objectContaining({ name: 'uc-audited', kind: 'jasmin', settings: SETTINGS, tps: 50 }),
        },
      ]);

      const updated = await connectorUseCases.update(operator, c.id, { tps: null, breaker_failures: 3, name: 'uc-audited' });
      expect(updated).toMatchObject({ tps: null, breaker_failures: 3 });
      expect((await auditRows('connector.updated', c.id))[0].detail).toEqual({
        name: 'uc-audited',
        changes: { tps: { before: 50, after: null }, breaker_failures: { before: 5, after: 3 } },
      });
      expect(await takeNotices()).toHaveLength(1);
      await connectorUseCases.update(operator, c.id, { tps: null, settings: { ...SETTINGS } });
      expect(await auditRows('connector.updated', c.id)).toHaveLength(1);

      expect((await connectorUseCases.disable(operator, c.id)).enabled).toBe(false);
      expect((await connectorUseCases.disable(operator, c.id)).enabled).toBe(false);
      expect(await auditRows('connector.disabled', c.id)).toHaveLength(1);

      expect((await connectorUseCases.setBreaker(operator, c.id, { state: 'open' })).breaker_override).toBe('open');
      expect((await connectorUseCases.setBreaker(operator, c.id, { state: 'auto' })).breaker_override).toBeNull();
      expect((await auditRows('connector.breaker_set', c.id)).map((r) => r.detail)).toEqual([
        { name: 'uc-audited', before: null, after: 'open' },
        { name: 'uc-audited', before: 'open', after: null },
      ]);
      expect(await takeNotices()).toHaveLength(3);
    });

    it('a refused write leaves neither a row nor an audit record nor an announcement', async () => {
      await takeNotices();
      await connectorUseCases.create(operator, { name: 'uc-taken', kind: 'jasmin', settings: SETTINGS });
      await takeNotices();
      const dup = await rejection(connectorUseCases.create(operator, { name: 'uc-taken', kind: 'jasmin', settings: SETTINGS }));
      expect(dup.code).toBe(ErrorCode.Conflict);
      const secret = await rejection(
        connectorUseCases.create(operator, { name: 'uc-secret', kind: 'jasmin', settings: { ...SETTINGS, password: 'hunter2' } }),
      );
      expect(secret.fields.map((f) => f.field)).toEqual(['settings.password']);
      const [{ n }] = await db.ds.query(
        `SELECT count(*)::int AS n FROM admin_audit_log WHERE action = 'connector.created' AND detail->>'name' IN ('uc-taken', 'uc-secret')`,
      );
      expect(n).toBe(1);
      expect(await connectors.getByName('uc-secret')).toBeNull();
      expect(await takeNotices()).toEqual([]);
    });

    it("reads each replica's breaker state from Redis", async () => {
      const c = await connectorUseCases.create(operator, { name: 'uc-breaker', kind: 'jasmin', settings: SETTINGS });
      const beat = { reported_at: Date.now(), heartbeat_ms: 10_000 };
      await redis.hset(breakerKey(c.id), {
        'host-1:11': JSON.stringify({ state: 'open', since: '2026-01-01T00:00:00.000Z', failures: 5, ...beat }),
        'host-2:22': JSON.stringify({ state: 'closed', since: '2026-01-01T00:00:01.000Z', failures: 0, ...beat }),
      });
      try {
        expect((await connectorUseCases.get(c.id)).breaker).toEqual({
          override: null,
          replicas: [
            { replica: 'host-1:11', state: 'open', since: '2026-01-01T00:00:00.000Z', failures: 5 },
            { replica: 'host-2:22', state: 'closed', since: '2026-01-01T00:00:01.000Z', failures: 0 },
          ],
        });
      } finally {
        await redis.del(breakerKey(c.id));
      }
      expect((await connectorUseCases.get(c.id)).breaker.replicas).toEqual([]);
      expect((await rejection(connectorUseCases.get('conn_missing'))).code).toBe(ErrorCode.NotFound);
    });

    it('routes: checks the project and every connector id, audits under the route’s project', async () => {
      const c = await connectorUseCases.create(operator, { name: 'uc-route', kind: 'jasmin', settings: SETTINGS });
      const missingProject = await rejection(
        routeUseCases.create(operator, { project_id: newId('prj'), prefix: '44', connector_ids: [c.id] }),
      );
      expect(missingProject.code).toBe(ErrorCode.NotFound);
      expect(missingProject.fields.map((f) => f.field)).toEqual(['project_id']);
      const unknown = await rejection(routeUseCases.create(operator, { prefix: '44', connector_ids: [c.id, 'conn_nope', 'conn_nada'] }));
      expect(unknown.code).toBe(ErrorCode.ValidationFailed);
      expect(unknown.fields.map((f) => f.field)).toEqual(['connector_ids.1', 'connector_ids.2']);

      await takeNotices();
      const r = await routeUseCases.create(operator, { project_id: projectA, prefix: '44', price: 0.01, connector_ids: [c.id] });
      expect(r).toMatchObject({ project_id: projectA, prefix: '44', price: 0.01, connector_ids: [c.id], enabled: true });
      expect(await auditRows('sms_route.created', r.id)).toEqual([
        { actor: 'operator', project_id: projectA, detail: { prefix: '44', price: 0.01, connector_ids: [c.id], enabled: true } },
      ]);
      const moved = await routeUseCases.update(operator, r.id, { project_id: null, price: null });
      expect(moved).toMatchObject({ project_id: null, price: null, prefix: '44' });
      expect(await auditRows('sms_route.updated', r.id)).toEqual([
        {
          actor: 'operator',
          project_id: null,
          detail: { changes: { project_id: { before: projectA, after: null }, price: { before: 0.01, after: null } } },
        },
      ]);
      const badUpdate = await rejection(routeUseCases.update(operator, r.id, { connector_ids: ['conn_nope'] }));
      expect(badUpdate.fields.map((f) => f.field)).toEqual(['connector_ids.0']);
      await routeUseCases.delete(operator, r.id);
      expect(await auditRows('sms_route.deleted', r.id)).toHaveLength(1);
      expect((await rejection(routeUseCases.delete(operator, r.id))).code).toBe(ErrorCode.NotFound);
      expect(await takeNotices()).toHaveLength(3);
      expect((await routeUseCases.list({ project_id: projectA, limit: 100 })).data.map((x) => x.id)).not.toContain(r.id);
    });
  });
});
