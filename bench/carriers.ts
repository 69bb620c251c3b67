import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { Client } from 'pg';
import { Agent, request } from 'undici';
import {
  classifyKannelResponse,
  jasminSendForm,
  kannelSendsmsQuery,
  type ReceiptSink,
  secretResolver,
  seededRandom,
  SmppConnector,
  smppKind,
  type SubmitRequest,
} from '@gw/connectors';
import { GatewayClient, SmscControl, type SmscRule } from '@gw/stack-client';
import { boundingComponent, goalLine, parseWays, type WayName } from './carrier-goals';
import { cpuTables, type LegOptions, type LegWindow, runLeg, type Way, WayTotals } from './carrier-legs';
import { DeliveryReceiver } from './delivery-receiver';
import { describePrefetch, jasminPrefetch, withJasminDefaults } from './jasmin-config';

/**
 * Benchmark (b): one SMS path of the local stack per way, each timed in the same run against its
 * baseline, with the CPU every component spends per message.
 *
 *   raw            the SMSC simulator's raw SMPP intake: a bare ESME (the gateway's own SMPP client,
 *                  one transceiver bind as SMSC_DIRECT_SYSTEM_ID, window 50) submitting as fast as
 *                  the window allows; timed until every submit_sm_resp, receipts counted.
 *   smpp           the gateway with its direct SMPP connector (`smpp-local`, by a route of a bench
 *                  project): POST /v1/messages, timed until every message is recorded `delivered`
 *                  and its status callback reached the bench. Goal: >= 0.15 of the raw intake.
 *   jasmin         straight to Jasmin's `/send` (level-3 DLRs to the bench) and the gateway through
 *                  `jasmin-local`, with the stack's tuned Jasmin (JASMIN_SUBMIT_PREFETCH, 64).
 *                  Goal: gateway >= 0.95 of straight.
 *   jasmin-default the same two with Jasmin's own default (prefetch 1): the bench restarts Jasmin with
 *                  JASMIN_SUBMIT_PREFETCH=1 (infra/stack.sh), then again without it, also on failure
 *                  or SIGINT/SIGTERM. Goal: straight to Jasmin tuned >= 3 x with its defaults.
 *   kannel         straight to Kannel's sendsms (dlr-mask 31, DLRs to the bench) and the gateway
 *                  through `kannel-local`; their ratio (no goal).
 * Straight requests are built by the gateway's own connectors' code (jasminSendForm,
 * kannelSendsmsQuery), so both ways of a pair send the same. Every leg is timed from its first
 * request until the SMSC acknowledged all its messages (`accepted`) and until every delivery was
 * known at the way's receiver (`complete`); the ratios of Jasmin and Kannel use `accepted` (what
 * the SMSC took), the direct SMPP goal `complete` (what the project learnt). The N messages of each way go in
 * BENCH_ROUNDS legs that alternate (the ways in order, then reversed, ...), so a change in the
 * machine's background load weighs on every way alike; the Jasmin-defaults block runs first and
 * alternates its two ways the same way. Each leg waits for its last delivery plus BENCH_SETTLE_MS
 * before the next starts. CPU per message of each component comes from /proc (Linux); a goal that
 * is missed names what bounds its way (boundingComponent).
 *
 * Environment (with .state/stack.env loaded): BENCH_MESSAGES (2000 per way), BENCH_ROUNDS (2),
 * BENCH_CONCURRENCY (50 HTTP requests in flight), BENCH_WARMUP (100 messages per way first),
 * BENCH_JASMIN_DEFAULT_MESSAGES (BENCH_MESSAGES / 4: about 26 messages/s with prefetch 1),
 * BENCH_SETTLE_MS (2000), BENCH_STALL_S (60: a counter that stops moving this long fails the run),
 * BENCH_WAYS (every way; e.g. `raw,smpp,kannel`), BENCH_KEEP_SMSC_SCENARIOS (`1`: leave the SMSC
 * simulator's scenario rules alone instead of adding a 50 ms `delivered` rule for the bench's
 * numbers, +1557..., and restoring the rules afterwards).
 */

/** Outstanding submit_sm of the bare ESME: smpp-local's default window, so both SMPP ways have the same. */
const RAW_WINDOW = 50;
/** The bench's destinations: +1557, one digit per way, six digits per message. */
const NUMBER_PREFIX = '+1557';
const SENDER = 'ACME';
const BODY = 'Benchmark message through the SMS path';
/** Receipts for the bench's numbers come this long after the submit_sm_resp (the SMSC scenario rule). */
const RECEIPT_DELAY_MS = 50;
/** Longest a Jasmin restart may take, installation included. */
const RESTART_TIMEOUT_MS = 600_000;

/** A positive integer from `name`, else `fallback`. @throws Error naming the variable when it is set to anything else. */
function intFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, not ${raw}`);
  return value;
}

/** `name` from the environment. @throws Error naming it when unset (load .state/stack.env). */
function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: load .state/stack.env`);
  return value;
}

/** The repository root: the nearest folder above this file holding infra/stack.sh (bench/ under ts-node, dist/bench/ once built). */
function repositoryRoot(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'infra', 'stack.sh'))) return dir;
  }
  throw new Error(`no infra/stack.sh above ${__dirname}`);
}

const destination = (digit: number, i: number): string => `${NUMBER_PREFIX}${digit}${String(i).padStart(6, '0')}`;
const out = (line: string): void => void process.stdout.write(`${line}\n`);

/** A way of this benchmark; a gateway way can check that its route took effect. */
type BenchWay = Way & { checkRoute?: () => Promise<void> };

/** What the ways share: the stack's clients, the bench's receiver, and what to undo at the end. */
interface Context {
  smsc: SmscControl;
  gw: GatewayClient;
  operatorSecret: string;
  db: Client;
  receiver: DeliveryReceiver;
  /** Run at the end, last added first (routes to delete, agents to close). */
  cleanups: Array<() => Promise<void>>;
}

/** submit_sm the SMSC simulator has taken from binds of `account` since it started. @throws Error when it has no such account. */
async function submitsOf(smsc: SmscControl, account: string): Promise<number> {
  const stats = (await smsc.stats()).accounts[account];
  if (!stats) throw new Error(`the SMSC simulator has no account ${account}`);
  return stats.submits;
}

/** The bare ESME: the gateway's SmppConnector as a plain SMPP client, bound for each leg and unbound after it. */
function rawSmppWay(): BenchWay {
  const settings = smppKind.parseSettings({
    host: '127.0.0.1',
    port: Number(required('SMSC_SMPP_PORT')),
    system_id: required('SMSC_DIRECT_SYSTEM_ID'),
    password_ref: 'env:SMSC_DIRECT_PASSWORD',
    window: RAW_WINDOW,
  });
  const password = secretResolver()(settings.password_ref);
  const log = {
    info: () => undefined,
    warn: (fields: Record<string, unknown>, msg: string) => void process.stderr.write(`${JSON.stringify({ ...fields, msg })}\n`),
  };
  let esme: SmppConnector | null = null;
  let sent = 0;
  let acknowledged = 0;
  let receipts = 0;
  const sink: ReceiptSink = {
    receipt: async (_connector, report) => {
      if (report.status === 'delivered') receipts++;
    },
    mo: async () => undefined,
  };
  return {
    label: 'raw SMPP',
    name: `raw SMPP intake (bare ESME, window ${RAW_WINDOW})`,
    concurrency: RAW_WINDOW,
    timedBy: 'accepted',
    open: async () => {
      esme = new SmppConnector({ id: 'bench-esme', name: 'bench-esme', kind: 'smpp' }, settings, {
        password,
        log,
        random: seededRandom(1),
      });
      await esme.start(sink);
    },
    send: async () => {
      const i = sent++;
      const req: SubmitRequest = {
        messageId: `bench-${i}`,
        to: destination(0, i),
        from: SENDER,
        body: BODY,
        encoding: 'GSM-7',
        validityPeriodS: null,
        dlrUrl: '',
      };
      await esme!.submit(req);
      acknowledged++;
    },
    accepted: async () => acknowledged,
    completed: async () => receipts,
    close: async () => {
      await esme?.close(5000);
      esme = null;
    },
  };
}

/** The id of the connector named `name` (operator API, every page). @throws Error when there is none (run scripts/seed-carriers.ts). */
async function connectorId(ctx: Context, name: string): Promise<string> {
  let cursor = '';
  for (;;) {
    const res = await ctx.gw.adminRaw<{ data: Array<{ id: string; name: string; enabled: boolean }>; next_cursor: string | null }>(
      ctx.operatorSecret,
      'GET',
      `/admin/connectors?limit=100${cursor ? `&cursor=${cursor}` : ''}`,
    );
    if (res.status !== 200) throw new Error(`list connectors: ${res.status} ${JSON.stringify(res.body)}`);
    const found = res.body.data.find((c) => c.name === name && c.enabled);
    if (found) return found.id;
    if (!res.body.next_cursor) throw new Error(`no enabled connector ${name}: run node dist/scripts/seed-carriers.js`);
    cursor = res.body.next_cursor;
  }
}

/**
 * A gateway way: a new project whose callbacks go to the bench and whose own route for the way's
 * numbers goes to the connector `connector` (prefix +1557<digit>: as long a prefix as the way's
 * numbers allow, so no other route of a shared stack outranks it); POST /v1/messages. Accepted counts
 * the SMSC's submits from `account`, completed the `delivered` callbacks, recorded the project's
 * messages in status `delivered`.
 */
async function gatewayWay(
  ctx: Context,
  w: {
    label: string;
    name: string;
    slug: string;
    digit: number;
    connector: string;
    account: string;
    timedBy: LegWindow;
    concurrency: number;
  },
): Promise<BenchWay> {
  const connector = await connectorId(ctx, w.connector);
  const path = `/callbacks/${w.slug}`;
  const project = await ctx.gw.createProject(ctx.operatorSecret, `bench-carriers-${w.slug}`, `${ctx.receiver.baseUrl}${path}`);
  await ctx.gw.grantSenderId(ctx.operatorSecret, project.id, SENDER);
  const route = await ctx.gw.adminRaw<{ id: string }>(ctx.operatorSecret, 'POST', '/admin/routes', {
    project_id: project.id,
    prefix: `${NUMBER_PREFIX.slice(1)}${w.digit}`,
    connector_ids: [connector],
  });
  if (route.status !== 201) throw new Error(`route to ${w.connector}: ${route.status} ${JSON.stringify(route.body)}`);
  ctx.cleanups.push(async () => {
    await ctx.gw.adminRaw(ctx.operatorSecret, 'DELETE', `/admin/routes/${route.body.id}`);
  });
  const client = ctx.gw.as(project.api_key);
  let sent = 0;
  let lastId = '';
  return {
    label: w.label,
    name: w.name,
    concurrency: w.concurrency,
    timedBy: w.timedBy,
    send: async () => {
      lastId = (await client.send({ to: destination(w.digit, sent++), from: SENDER, body: BODY })).id;
    },
    accepted: () => submitsOf(ctx.smsc, w.account),
    completed: async () => ctx.receiver.count(path),
    recorded: async () =>
      (
        await ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM messages WHERE project_id = $1 AND status = 'delivered'`, [
          project.id,
        ])
      ).rows[0].n,
    checkRoute: async () => {
      const res = await client.getRaw(`/v1/messages/${lastId}`);
      const used = (res.body as { submissions?: Array<{ connector_id: string }> }).submissions?.at(-1)?.connector_id;
      if (used !== connector)
        throw new Error(`${w.name}: the last warm-up message went through ${used ?? 'no connector'}, not ${w.connector}`);
    },
  };
}

/** Straight to Jasmin's `/send` (POST, the form of jasminSendForm), its own connection pool; DLRs to the bench. */
function straightJasminWay(ctx: Context, w: { label: string; name: string; slug: string; digit: number; concurrency: number }): BenchWay {
  const agent = new Agent({ connections: w.concurrency });
  ctx.cleanups.push(() => agent.close());
  const url = new URL('/send', required('JASMIN_HTTP_URL'));
  const credentials = { username: required('JASMIN_USERNAME'), password: required('JASMIN_PASSWORD') };
  const path = `/jasmin/${w.slug}`;
  const account = required('SMSC_SYSTEM_ID');
  let sent = 0;
  return {
    label: w.label,
    name: w.name,
    concurrency: w.concurrency,
    timedBy: 'accepted',
    send: async () => {
      const i = sent++;
      const form = jasminSendForm(credentials, {
        messageId: `bench-${i}`,
        to: destination(w.digit, i),
        from: SENDER,
        body: BODY,
        encoding: 'GSM-7',
        validityPeriodS: null,
        dlrUrl: `${ctx.receiver.baseUrl}${path}`,
      });
      const res = await request(url, {
        dispatcher: agent,
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form.toString(),
        signal: AbortSignal.timeout(10_000),
      });
      const text = await res.body.text();
      if (res.statusCode !== 200) throw new Error(`jasmin /send ${res.statusCode}: ${text.slice(0, 300)}`);
    },
    accepted: () => submitsOf(ctx.smsc, account),
    completed: async () => ctx.receiver.count(path),
  };
}

/** Straight to Kannel's sendsms (GET, the query of kannelSendsmsQuery, dlr-mask 31); DLRs to the bench, each naming its message. */
function straightKannelWay(ctx: Context, w: { label: string; name: string; slug: string; digit: number; concurrency: number }): BenchWay {
  const agent = new Agent({ connections: w.concurrency });
  ctx.cleanups.push(() => agent.close());
  const base = process.env.KANNEL_SENDSMS_URL || `http://127.0.0.1:${required('KANNEL_SENDSMS_PORT')}`;
  const credentials = { username: required('KANNEL_SENDSMS_USERNAME'), password: required('KANNEL_SENDSMS_PASSWORD'), smsc: null };
  const path = `/kannel/${w.slug}`;
  const account = required('SMSC_KANNEL_SYSTEM_ID');
  let sent = 0;
  return {
    label: w.label,
    name: w.name,
    concurrency: w.concurrency,
    timedBy: 'accepted',
    send: async () => {
      const i = sent++;
      const url = new URL('/cgi-bin/sendsms', base);
      url.search = kannelSendsmsQuery(credentials, {
        messageId: `bench-${i}`,
        to: destination(w.digit, i),
        from: SENDER,
        body: BODY,
        encoding: 'GSM-7',
        validityPeriodS: null,
        dlrUrl: `${ctx.receiver.baseUrl}${path}?msg=${i}`,
      });
      let status: number;
      let text: string;
      try {
        const res = await request(url, { dispatcher: agent, method: 'GET', signal: AbortSignal.timeout(10_000) });
        status = res.statusCode;
        text = await res.body.text();
      } catch (err) {
        // Only the code, no cause: undici messages may quote the URL, which holds the sendsms password.
        // eslint-disable-next-line preserve-caught-error
        throw new Error(`kannel sendsms failed: ${(err as { code?: string }).code ?? (err as Error).name}`);
      }
      const failure = classifyKannelResponse(status, text);
      if (failure) throw failure;
    },
    accepted: () => submitsOf(ctx.smsc, account),
    completed: async () => ctx.receiver.count(path),
  };
}

/** The SMSC simulator's scenario set (`GET /scenarios`), kept whole to be put back. */
interface ScenarioSet {
  rules: SmscRule[];
  default: Omit<SmscRule, 'match' | 'prefix'>;
}

/** The SMSC simulator's current scenario set. @throws Error on any answer but 200. */
async function smscScenarios(smsc: SmscControl): Promise<ScenarioSet> {
  const res = await request(`${smsc.baseUrl}/scenarios`, { signal: AbortSignal.timeout(5000) });
  const text = await res.body.text();
  if (res.statusCode !== 200) throw new Error(`smsc GET /scenarios: ${res.statusCode} ${text}`);
  return JSON.parse(text) as ScenarioSet;
}

/** Results of one way, for the tables and goals. */
interface Measured {
  way: BenchWay;
  totals: WayTotals;
}

/**
 * Warms every way up (BENCH_WARMUP messages each, then checks each gateway way's route), then
 * sends `perLeg` messages per way per round, the ways in order in even rounds and reversed in odd
 * ones, printing each leg. @returns every way's totals.
 */
async function runBlock(ways: BenchWay[], rounds: number, perLeg: number, warmup: number, opts: LegOptions): Promise<Measured[]> {
  out(`warm-up: ${warmup} messages each way`);
  for (const way of ways) {
    await runLeg(way, warmup, opts);
    await way.checkRoute?.();
  }
  out(`measuring: ${perLeg * rounds} messages each way in ${rounds} alternating legs of ${perLeg}`);
  const measured = ways.map((way) => ({ way, totals: new WayTotals() }));
  for (let round = 0; round < rounds; round++) {
    for (const m of round % 2 === 0 ? measured : [...measured].reverse()) {
      const leg = await runLeg(m.way, perLeg, opts, m.totals);
      out(
        `  round ${round + 1}, ${m.way.name}: accepted ${(perLeg / leg.accepted).toFixed(1)} msg/s, complete ${(perLeg / leg.complete).toFixed(1)} msg/s (host steal ${leg.stolen.toFixed(2)} cores)`,
      );
    }
  }
  return measured;
}

async function main(): Promise<void> {
  const env = process.env;
  const ways = parseWays(env.BENCH_WAYS);
  const n = intFromEnv('BENCH_MESSAGES', 2000);
  const rounds = intFromEnv('BENCH_ROUNDS', 2);
  const concurrency = intFromEnv('BENCH_CONCURRENCY', 50);
  const warmup = intFromEnv('BENCH_WARMUP', 100);
  const defaultsN = intFromEnv('BENCH_JASMIN_DEFAULT_MESSAGES', Math.ceil(n / 4));
  const opts: LegOptions = { pollMs: 20, settleMs: intFromEnv('BENCH_SETTLE_MS', 2000), stallMs: intFromEnv('BENCH_STALL_S', 60) * 1000 };
  const keepScenarios = env.BENCH_KEEP_SMSC_SCENARIOS === '1';
  const perLeg = Math.ceil(n / rounds);
  const perDefaultsLeg = Math.ceil(defaultsN / rounds);
  if (warmup + perLeg * rounds > 999_999)
    throw new Error('BENCH_WARMUP + BENCH_MESSAGES must stay below 1,000,000 (six digits per number)');
  const has = (w: WayName): boolean => ways.includes(w);
  const root = repositoryRoot();
  const jasminAccount = required('SMSC_SYSTEM_ID');
  const jasminVenv = env.JASMIN_VENV || join(root, '.state', 'jasmin', 'venv');

  const receiver = new DeliveryReceiver();
  await receiver.start();
  const db = new Client({ connectionString: required('DATABASE_URL') });
  await db.connect();
  const ctx: Context = {
    smsc: new SmscControl(required('SMSC_CONTROL_URL')),
    gw: new GatewayClient(`http://127.0.0.1:${env.API_PORT ?? 58080}`),
    operatorSecret: required('OPERATOR_SECRET'),
    db,
    receiver,
    cleanups: [],
  };
  let scenarios: ScenarioSet | null = null;
  try {
    out(`machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), Node ${process.version}`);
    out(
      `ways: ${ways.join(', ')}; ${perLeg * rounds} messages per way${has('jasmin-default') ? ` (Jasmin's defaults: ${perDefaultsLeg * rounds})` : ''}, ${concurrency} HTTP requests in flight, SMPP window ${RAW_WINDOW}`,
    );
    if (keepScenarios) {
      out("SMSC scenarios: left as they are (BENCH_KEEP_SMSC_SCENARIOS=1); receipts follow the simulator's current rules");
    } else {
      const current = await smscScenarios(ctx.smsc);
      scenarios = current;
      const rule: SmscRule = { match: NUMBER_PREFIX, prefix: true, outcome: 'delivered', delayMs: RECEIPT_DELAY_MS };
      await ctx.smsc.setRules([...current.rules.filter((r) => r.match !== NUMBER_PREFIX), rule], current.default);
      out(
        `SMSC scenarios: ${NUMBER_PREFIX}... delivered, receipt ${RECEIPT_DELAY_MS} ms after the submit_sm_resp (rules restored at the end)`,
      );
    }

    /** Straight to Jasmin and the gateway via Jasmin; `p1` names the pair run with Jasmin's defaults. */
    const jasminPair = async (p1: boolean): Promise<BenchWay[]> => [
      straightJasminWay(ctx, {
        label: p1 ? 'Jasmin p1' : 'Jasmin',
        name: p1 ? 'straight to Jasmin, prefetch 1' : 'straight to Jasmin',
        slug: p1 ? 'jasmin-p1' : 'jasmin',
        digit: p1 ? 6 : 2,
        concurrency,
      }),
      await gatewayWay(ctx, {
        label: p1 ? 'gw Jasmin p1' : 'gw Jasmin',
        name: p1 ? 'gateway via Jasmin, prefetch 1' : 'gateway via Jasmin',
        slug: p1 ? 'gw-jasmin-p1' : 'gw-jasmin',
        digit: p1 ? 7 : 3,
        connector: 'jasmin-local',
        account: jasminAccount,
        timedBy: 'accepted',
        concurrency,
      }),
    ];

    let defaults: Measured[] = [];
    if (has('jasmin-default')) {
      out('--- Jasmin with its defaults (submit prefetch 1) ---');
      const restarts = { root, smsc: ctx.smsc, account: jasminAccount, venv: jasminVenv, timeoutMs: RESTART_TIMEOUT_MS, say: out };
      defaults = await withJasminDefaults(restarts, async () => runBlock(await jasminPair(true), rounds, perDefaultsLeg, warmup, opts));
    }

    const tunedWays: BenchWay[] = [];
    if (has('raw')) tunedWays.push(rawSmppWay());
    if (has('smpp')) {
      tunedWays.push(
        await gatewayWay(ctx, {
          label: 'gw SMPP',
          name: 'gateway via direct SMPP',
          slug: 'gw-smpp',
          digit: 1,
          connector: 'smpp-local',
          account: required('SMSC_DIRECT_SYSTEM_ID'),
          timedBy: 'complete',
          concurrency,
        }),
      );
    }
    if (has('jasmin')) tunedWays.push(...(await jasminPair(false)));
    if (has('kannel')) {
      tunedWays.push(
        straightKannelWay(ctx, { label: 'Kannel', name: 'straight to Kannel', slug: 'kannel', digit: 4, concurrency }),
        await gatewayWay(ctx, {
          label: 'gw Kannel',
          name: 'gateway via Kannel',
          slug: 'gw-kannel',
          digit: 5,
          connector: 'kannel-local',
          account: required('SMSC_KANNEL_SYSTEM_ID'),
          timedBy: 'accepted',
          concurrency,
        }),
      );
    }
    let tuned: Measured[] = [];
    if (tunedWays.length > 0) {
      out('--- the stack as configured (tuned Jasmin) ---');
      if (has('jasmin')) {
        const p = jasminPrefetch(jasminVenv);
        out(`Jasmin: ${describePrefetch(p)}${p.prefetch > 1 ? '' : " -- NOT tuned: the 'tuned' figures are Jasmin's defaults"}`);
      }
      tuned = await runBlock(tunedWays, rounds, perLeg, warmup, opts);
    }
    report([...tuned, ...defaults]);
  } finally {
    for (const cleanup of ctx.cleanups.reverse())
      await cleanup().catch((err: unknown) => process.stderr.write(`cleanup: ${String(err)}\n`));
    if (scenarios) await ctx.smsc.setRules(scenarios.rules, scenarios.default);
    await receiver.stop();
    await db.end();
  }
}

/** Prints the rates of every way, the goals with PASS/MISS (and what bounds a missed one), and the CPU tables. */
function report(measured: Measured[]): void {
  const byLabel = (label: string): Measured | undefined => measured.find((m) => m.way.label === label);
  const ratio = (a: number | undefined, b: number | undefined): number | null => (a === undefined || b === undefined ? null : a / b);
  const bound = (m: Measured | undefined) => () =>
    m ? boundingComponent(m.totals.loads(m.way.timedBy), m.totals.machine(m.way.timedBy)) : 'n/a';
  const raw = byLabel('raw SMPP');
  const gwSmpp = byLabel('gw SMPP');
  const jasmin = byLabel('Jasmin');
  const gwJasmin = byLabel('gw Jasmin');
  const jasminP1 = byLabel('Jasmin p1');
  const gwJasminP1 = byLabel('gw Jasmin p1');
  const kannel = byLabel('Kannel');
  const gwKannel = byLabel('gw Kannel');
  const cell = (v: number): string => (Number.isFinite(v) ? v.toFixed(1) : '-').padStart(10);
  out(
    [
      "results, messages/s over the summed leg times (accepted: until the SMSC acknowledged every submit_sm; complete: until every delivery was known at the way's receiver):",
      `  ${'way'.padEnd(44)}${'messages'.padStart(10)}${'accepted'.padStart(10)}${'complete'.padStart(10)}`,
      ...measured.map(
        (m) =>
          `  ${m.way.name.padEnd(44)}${String(m.totals.messages).padStart(10)}${cell(m.totals.acceptedRate)}${cell(m.totals.completeRate)}`,
      ),
      'goals:',
      `  ${goalLine('gateway via direct SMPP (complete) / raw SMPP intake (accepted)', ratio(gwSmpp?.totals.completeRate, raw?.totals.acceptedRate), 0.15, bound(gwSmpp), 'needs ways raw and smpp')}`,
      `  ${goalLine("straight to Jasmin, tuned / Jasmin's defaults (accepted)", ratio(jasmin?.totals.acceptedRate, jasminP1?.totals.acceptedRate), 3, bound(jasmin), 'needs ways jasmin and jasmin-default')}`,
      `  ${goalLine('gateway / straight to Jasmin, tuned (accepted)', ratio(gwJasmin?.totals.acceptedRate, jasmin?.totals.acceptedRate), 0.95, bound(gwJasmin), 'needs way jasmin')}`,
      `  gateway / straight to Jasmin, Jasmin's defaults (accepted): ${fmtRatio(ratio(gwJasminP1?.totals.acceptedRate, jasminP1?.totals.acceptedRate))} (no goal)`,
      `  gateway / straight to Kannel (accepted): ${fmtRatio(ratio(gwKannel?.totals.acceptedRate, kannel?.totals.acceptedRate))}; complete: ${fmtRatio(ratio(gwKannel?.totals.completeRate, kannel?.totals.completeRate))} (no goal)`,
      cpuTables(measured),
    ].join('\n'),
  );
}

const fmtRatio = (v: number | null): string => (v === null || !Number.isFinite(v) ? 'n/a' : v.toFixed(2));

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
