import type { LookupAddress } from 'node:dns';
import { newId } from '@gw/database';
import { DomainError } from '@gw/errors';
import type { HostResolver } from '@gw/security';
import { ScratchDatabase } from '@gw/stack-client';
import { DialAllowlistUseCases } from '../../apps/api/src/admin/dial-allowlist.usecases';
import { AuditContext, AuditLogRepository } from '../../apps/api/src/audit/audit-log.repository';
import { CallbackUrlPolicy } from '../../apps/api/src/common/callback-urls';
import { DialAllowlistRepository } from '../../apps/api/src/flows/dial-allowlist.repository';
import { FlowAcceptance } from '../../apps/api/src/flows/flow-acceptance';
import { FlowsUseCases } from '../../apps/api/src/flows/flows.usecases';
import { CallStore } from '../../apps/call-orchestrator/src/call-store';

/** The error a promise rejects with, or a failure when it resolves. */
async function rejection(p: Promise<unknown>): Promise<DomainError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(err instanceof DomainError)) throw new Error(`expected a DomainError, got ${String(err)}`);
  return err;
}

/** Names of the tests' flow URLs and their addresses, as dns.lookup would answer. */
const resolve: HostResolver = async (hostname) => {
  const table: Record<string, string[]> = { 'hooks.example.com': ['93.184.215.14'], localhost: ['127.0.0.1'] };
  const addresses = table[hostname];
  if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
  return addresses.map((address): LookupAddress => ({ address, family: 4 }));
};

/**
 * The dial allowlist against a migrated scratch database: the operator's use cases with their audit
 * records, the flow checks when a flow or version is created (dial targets, fetched URLs), and the
 * orchestrator's read of the allowlist it checks each dial against.
 */
describe('dial allowlists and flow acceptance (real Postgres)', () => {
  const db = new ScratchDatabase(process.env.DATABASE_URL!);
  const projectId = newId('prj');
  const operator: AuditContext = { actor: 'operator', ip: '127.0.0.1', userAgent: 'jest' };
  let allowlists: DialAllowlistUseCases;
  let flows: FlowsUseCases;
  let store: CallStore;

  beforeAll(async () => {
    await db.create();
    await db.ds.query(`INSERT INTO projects (id, name, webhook_secret) VALUES ($1, 'p', 'whsec_x')`, [projectId]);
    const repo = new DialAllowlistRepository(db.ds);
    allowlists = new DialAllowlistUseCases(db.ds, repo, new AuditLogRepository(db.ds));
    const urls = new CallbackUrlPolicy({ OUTBOUND_ALLOWED_CIDRS: ['127.0.0.1/32:58200-58399'] }, resolve);
    flows = new FlowsUseCases(db.ds, new FlowAcceptance(urls, repo));
    store = new CallStore(db.ds, 'orchestrator-test', 10_000);
  });
  afterAll(() => db.drop());

  const auditRows = (action: string): Promise<Array<{ actor: string; target: string; detail: Record<string, unknown> }>> =>
    db.ds.query(`SELECT actor, target, detail FROM admin_audit_log WHERE project_id = $1 AND action = $2 ORDER BY created_at, id`, [
      projectId,
      action,
    ]);
  const flowCount = async (): Promise<number> =>
    Number((await db.ds.query(`SELECT count(*) AS n FROM flows WHERE project_id = $1`, [projectId]))[0].n);
  const dialFlow = (target: string) => ({ version: 1, steps: [{ verb: 'dial', target }, { verb: 'hangup' }] });

  it('starts unset: any E.164 number, no SIP URI; a flow dialling outside it is refused naming the step field, and nothing is written', async () => {
    expect(await allowlists.get(projectId)).toEqual({
      project_id: projectId,
      set: false,
      e164_prefixes: null,
      sip_domains: [],
      pjsip_endpoints: [],
    });
    expect(await store.dialAllowlist(projectId)).toBeNull();
    await flows.create(projectId, 'any number', dialFlow('+442071838750'));

    const err = await rejection(flows.create(projectId, 'sip', dialFlow('sip:alice@pbx.example.com')));
    expect(err.code).toBe('validation_failed');
    expect(err.fields).toEqual([
      {
        field: '/document/steps/0/target',
        message: "SIP URIs are refused until the operator sets the project's dial allowlist (its sip_domains)",
      },
    ]);
    expect(await flowCount()).toBe(1);
  });

  it('is replaced by the operator, audited with the lists before and after, and read back by the orchestrator', async () => {
    const set = await allowlists.set(operator, projectId, { e164_prefixes: ['+1', '+1'], sip_domains: ['PBX.example.com'] });
    expect(set).toEqual({ project_id: projectId, set: true, e164_prefixes: ['+1'], sip_domains: ['pbx.example.com'], pjsip_endpoints: [] });
    expect(await allowlists.get(projectId)).toEqual(set);
    expect(await store.dialAllowlist(projectId)).toEqual({ e164_prefixes: ['+1'], sip_domains: ['pbx.example.com'], pjsip_endpoints: [] });

    const rows = await auditRows('dial_allowlist.set');
    expect(rows).toEqual([
      {
        actor: 'operator',
        target: projectId,
        detail: { before: null, after: { e164_prefixes: ['+1'], sip_domains: ['pbx.example.com'], pjsip_endpoints: [] } },
      },
    ]);
  });

  it('refuses new flows and versions whose dial targets fall outside it, and takes them once the prefix is added', async () => {
    const err = await rejection(flows.create(projectId, 'london', dialFlow('+442071838750')));
    expect(err.fields).toEqual([
      { field: '/document/steps/0/target', message: "+442071838750 matches no E.164 prefix of the project's dial allowlist" },
    ]);
    const flowId = (await flows.create(projectId, 'us', dialFlow('+14155550100'))).id;
    expect((await rejection(flows.addVersion(projectId, flowId, dialFlow('+442071838750')))).fields?.[0]?.field).toBe(
      '/document/steps/0/target',
    );

    await allowlists.set(operator, projectId, { e164_prefixes: ['+1', '+4420'], sip_domains: ['pbx.example.com'] });
    expect((await flows.addVersion(projectId, flowId, dialFlow('+442071838750'))).version).toBe(2);
    expect(await flows.create(projectId, 'sip', dialFlow('sip:alice@pbx.example.com'))).toMatchObject({ active_version: 1 });
    expect((await auditRows('dial_allowlist.set')).map((r) => r.detail.before)).toEqual([
      null,
      { e164_prefixes: ['+1'], sip_domains: ['pbx.example.com'], pjsip_endpoints: [] },
    ]);
  });

  it('refuses a flow whose redirect or actionHook URL the gateway would not call, naming each field', async () => {
    const before = await flowCount();
    const document = {
      version: 1,
      steps: [
        { verb: 'gather', numDigits: 1, actionHook: 'http://localhost:9/digits' },
        { verb: 'redirect', url: 'https://hooks.example.com/next', fallback: 'metadata' },
        { verb: 'redirect', label: 'metadata', url: 'http://169.254.169.254/latest/meta-data', fallback: 'nowhere' },
        { verb: 'redirect', label: 'nowhere', url: 'https://nowhere.example.com/next' },
      ],
    };
    const err = await rejection(flows.create(projectId, 'fetches', document));
    expect(err.fields).toEqual([
      { field: '/document/steps/0/actionHook', message: 'must be on a public address: localhost resolves to 127.0.0.1, which is loopback' },
      { field: '/document/steps/2/url', message: 'must be on a public address: 169.254.169.254 is linkLocal' },
      { field: '/document/steps/3/url', message: 'does not resolve: nowhere.example.com (ENOTFOUND)' },
    ]);
    expect(await flowCount()).toBe(before);
    await flows.create(projectId, 'receiver', { version: 1, steps: [{ verb: 'redirect', url: 'http://localhost:58300/next' }] });
  });

  it('answers not_found for a project that does not exist, auditing nothing', async () => {
    const other = newId('prj');
    expect((await rejection(allowlists.get(other))).code).toBe('not_found');
    expect((await rejection(allowlists.set(operator, other, { e164_prefixes: ['+1'] }))).code).toBe('not_found');
    expect(Number((await db.ds.query(`SELECT count(*) AS n FROM admin_audit_log WHERE project_id = $1`, [other]))[0].n)).toBe(0);
  });
});
