import { ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import autocannon from 'autocannon';
import { request } from 'undici';
import { hashApiKey } from '@gw/security';
import { GatewayClient, ScratchDatabase } from '@gw/stack-client';
import { cpuMeter, machineBusyMeter, postgresPids, processTree, redisPids } from './proc-cpu';
import { BENCH_AUDIENCE, BENCH_ISSUER, JwtIssuer } from './jwt-issuer';

const run = promisify(execFile);

/**
 * Benchmark (a): `POST /v1/messages` with autocannon (50 connections, warm-up, then measured)
 * against pgbench running the same message + timeline + outbox transaction on the same Postgres
 * server, in the same run. Both write to a scratch database, served by an api process of its own,
 * so the running relay and connector never pick the benchmark's rows up. A third baseline, the
 * http floor (bench/http-floor.ts), runs the same write behind a bare node:http server, to show
 * what the machine allows any HTTP endpoint and what the api's own layers cost; a fourth, the api
 * without Nest (bench/fastify-floor.ts), splits that cost between Nest and the rest.
 * Prints, for the api and both floors, accepted requests/s, p50/p99 latency (ms) and the CPU per
 * accepted request (µs) of the server processes, Postgres and autocannon, read from /proc (Linux),
 * and the machine's busy and stolen cores (steal: the host ran something else) over the measured
 * run, since the p99 target is absolute and a shared host's steal moves it; then the api's ratios
 * to pgbench, to the http floor and to the api without Nest. Between servers the scratch database
 * is vacuumed. The api runs three times: with an API key and rate limiting on (the default, the
 * figure compared to pgbench), with rate limiting off, and with a JWT (ES256, verified against a
 * JWKS served by this process) and rate limiting off. Targets: ratio to pgbench >= 0.5, p99 <= 25
 * ms; rate limiting and JWT auth each >= 0.9 of API-key auth without limits. Then the api's cost of
 * observability (see observabilityRuns): metrics on, and traces at 10% and 100% sampling, as ratios
 * to both off (goals >= 0.95 at 10%, >= 0.85 at 100%).
 */
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const WARMUP_S = Number(process.env.BENCH_WARMUP_S ?? 5);
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 20);
const PG_CLIENTS = Number(process.env.BENCH_PG_CLIENTS ?? CONNECTIONS);
/**
 * What to run: `all` (default), or `observability` for only the observability comparison (the
 * legs of observabilityRuns, each against its own "both off" baseline).
 */
const PARTS = process.env.BENCH_PARTS ?? 'all';
/** api processes (API_WORKERS): one per core, as the api is meant to run outside Kubernetes. */
const API_WORKERS = Number(process.env.BENCH_API_WORKERS ?? cpus().length);

const PGBENCH_SCRIPT = `
\\set n random(1, 1000000000)
BEGIN;
INSERT INTO messages (id, project_id, direction, to_number, from_number, body, encoding, segments, status, created_at, updated_at)
  VALUES ('msg_pgb' || :n || '_' || :client_id || '_' || txid_current(), '@PROJECT@', 'outbound', '+14155550100', 'ACME', 'Benchmark message body', 'GSM-7', 1, 'queued', now(), now());
INSERT INTO message_status_events (id, message_id, from_status, status, source, description, occurred_at)
  VALUES (gen_random_uuid(), 'msg_pgb' || :n || '_' || :client_id || '_' || txid_current(), NULL, 'queued', 'api', 'accepted', now());
INSERT INTO outbox (event_id, topic, key, type, payload, headers, created_at)
  VALUES (gen_random_uuid(), 'sms.outbound.v1', 'msg_pgb' || :n, 'message.requested', '{"message_id":"x"}', '{}', now());
COMMIT;
`;

function pgbenchBin(): string {
  return process.env.PGBENCH ?? '/usr/lib/postgresql/15/bin/pgbench';
}

async function pgbench(url: string, projectId: string): Promise<{ tps: number; latencyMs: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'gw-bench-'));
  const file = join(dir, 'message-tx.sql');
  writeFileSync(file, PGBENCH_SCRIPT.replaceAll('@PROJECT@', projectId));
  const { stdout } = await run(pgbenchBin(), ['-n', '-c', String(PG_CLIENTS), '-j', '2', '-T', String(DURATION_S), '-f', file, url], {
    maxBuffer: 10 * 1024 * 1024,
  }).finally(() => rmSync(dir, { recursive: true, force: true }));
  const tps = Number(/tps = ([\d.]+)/.exec(stdout)?.[1]);
  const latencyMs = Number(/latency average = ([\d.]+) ms/.exec(stdout)?.[1]);
  if (!Number.isFinite(tps)) throw new Error(`cannot read pgbench output:\n${stdout}`);
  return { tps, latencyMs };
}

async function cannon(url: string, headers: Record<string, string>, seconds: number): Promise<autocannon.Result> {
  return autocannon({
    url,
    method: 'POST',
    connections: CONNECTIONS,
    duration: seconds,
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify({ to: '+14155550100', from: 'ACME', body: 'Benchmark message body' }),
  });
}

interface Measured {
  rate: number;
  p50: number;
  p99: number;
  other: number;
  /** CPU (user + system) per accepted request, µs: the server's processes, Postgres's, Redis's, and autocannon's (this process). */
  serverCpuUs: number;
  postgresCpuUs: number;
  redisCpuUs: number;
  loadCpuUs: number;
  /** The machine over the measured run, average cores busy and stolen by the host (machineBusyMeter's reading). */
  host: { busy: number; stolen: number };
}

/**
 * Warm-up, then the measured run against the server whose process (with its cluster workers) is
 * `server`: accepted (2xx) requests/s, p50/p99 latency (ms), other answers, CPU per request.
 */
async function measure(url: string, server: ChildProcess, headers: Record<string, string> = {}): Promise<Measured> {
  await cannon(url, headers, WARMUP_S);
  const serverCpu = cpuMeter(() => processTree(server.pid!));
  const postgresCpu = cpuMeter(postgresPids);
  const redisCpu = cpuMeter(redisPids);
  const loadCpu = process.cpuUsage();
  const machine = machineBusyMeter();
  const r = await cannon(url, headers, DURATION_S);
  const host = machine();
  const load = process.cpuUsage(loadCpu);
  const perRequestUs = (seconds: number) => (seconds / Math.max(1, r['2xx'])) * 1e6;
  return {
    rate: r['2xx'] / DURATION_S,
    p50: r.latency.p50,
    p99: r.latency.p99,
    other: r.non2xx + r.errors + r.timeouts,
    serverCpuUs: perRequestUs(serverCpu()),
    postgresCpuUs: perRequestUs(postgresCpu()),
    redisCpuUs: perRequestUs(redisCpu()),
    loadCpuUs: perRequestUs((load.user + load.system) / 1e6),
    host,
  };
}

/** CPU per accepted request as `server + Postgres + Redis + autocannon µs`. */
function cpuLine(m: Measured): string {
  return `${m.serverCpuUs.toFixed(0)} + ${m.postgresCpuUs.toFixed(0)} + ${m.redisCpuUs.toFixed(0)} + ${m.loadCpuUs.toFixed(0)} µs`;
}

/** The machine over a measured run as `X busy + Y stolen cores`. */
function hostLine(m: Measured): string {
  return `${m.host.busy.toFixed(2)} busy + ${m.host.stolen.toFixed(2)} stolen`;
}

/** Starts a built script with `env`; resolves once `GET readyUrl` answers 200. */
async function startServer(script: string, env: Record<string, string>, readyUrl: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [resolve(__dirname, '..', script)], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const deadline = Date.now() + 30000;
  for (;;) {
    try {
      const res = await request(readyUrl);
      await res.body.dump();
      if (res.statusCode === 200) return child;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`${script} did not become ready`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  await once(child, 'exit');
}

/** One api configuration's measured run (the api restarted with `env`, asked with `headers`). */
type ApiRun = (label: string, env: Record<string, string>, headers: Record<string, string>) => Promise<Measured>;

/** Legs of the observability comparison; each runs every configuration once, in the same order. */
const OBSERVABILITY_LEGS = Number(process.env.BENCH_OBSERVABILITY_LEGS ?? 2);

/**
 * The api's accepted rate with per-request metrics (HTTP_METRICS) and tracing off, with metrics on, and with metrics on and
 * traces sampled at 10% and at 100% (exported over OTLP/HTTP to the local Jaeger, JAEGER_OTLP_URL),
 * in alternating legs; returns the lines that print each configuration's mean rate, CPU per request
 * and its ratio to both off (goals: >= 0.95 at 10%, >= 0.85 at 100%).
 */
async function observabilityRuns(apiRun: ApiRun, headers: Record<string, string>): Promise<string[]> {
  const otlp = process.env.JAEGER_OTLP_URL;
  if (!otlp) throw new Error('JAEGER_OTLP_URL is not set: load .state/stack.env (the local Jaeger receives the traces)');
  const traced = (ratio: string) => ({
    OTEL_EXPORTER_OTLP_ENDPOINT: otlp,
    OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
    OTEL_TRACES_SAMPLER_ARG: ratio,
  });
  const configs: { name: string; env: Record<string, string> }[] = [
    { name: 'metrics and tracing off', env: { HTTP_METRICS: 'off', OTEL_SDK_DISABLED: 'true' } },
    { name: 'metrics on', env: { OTEL_SDK_DISABLED: 'true' } },
    { name: 'metrics on, tracing 10%', env: traced('0.1') },
    { name: 'metrics on, tracing 100%', env: traced('1') },
  ];
  const runs = configs.map(() => [] as Measured[]);
  for (let leg = 1; leg <= OBSERVABILITY_LEGS; leg++) {
    for (const [i, c] of configs.entries()) runs[i].push(await apiRun(`${c.name} (leg ${leg} of ${OBSERVABILITY_LEGS})`, c.env, headers));
  }
  const mean = (ms: Measured[], f: (m: Measured) => number) => ms.reduce((n, m) => n + f(m), 0) / ms.length;
  const off = mean(runs[0], (m) => m.rate);
  const goals: (number | undefined)[] = [undefined, undefined, 0.95, 0.85];
  return configs.map((c, i) => {
    const rate = mean(runs[i], (m) => m.rate);
    const ratio = rate / off;
    const goal = goals[i];
    const verdict =
      i === 0 ? '' : `; ratio to both off ${ratio.toFixed(2)}${goal ? ` (goal >= ${goal}: ${ratio >= goal ? 'met' : 'NOT met'})` : ''}`;
    const p99 = Math.max(...runs[i].map((m) => m.p99));
    return `observability, ${c.name}: ${rate.toFixed(0)} req/s (legs: ${runs[i].map((m) => m.rate.toFixed(0)).join(', ')}), p99 up to ${p99} ms, api CPU ${mean(runs[i], (m) => m.serverCpuUs).toFixed(0)} µs/request${verdict}`;
  });
}

async function main(): Promise<void> {
  const db = new ScratchDatabase(process.env.DATABASE_URL!, 'gw_bench');
  const scratch = await db.create();
  // Each server after the first would otherwise pay, during its own run, the autovacuum of the rows
  // written before it.
  const settle = () => scratch.query('VACUUM ANALYZE messages, message_status_events, outbox');
  const port = Number(process.env.BENCH_API_PORT ?? 58090);
  const base = `http://127.0.0.1:${port}`;
  const workers = String(API_WORKERS);
  const issuer = await JwtIssuer.create();
  const jwksUrl = await issuer.start();
  const apiEnv = { DATABASE_URL: db.url, API_PORT: String(port), API_WORKERS: workers, HOST: '127.0.0.1', LOG_LEVEL: 'warn' };
  let api = await startServer('apps/api/src/main.js', apiEnv, `${base}/health/ready`);
  try {
    const admin = new GatewayClient(base);
    const project = await admin.createProject(process.env.OPERATOR_SECRET!, 'bench-api');
    await admin.grantSenderId(process.env.OPERATOR_SECRET!, project.id, 'ACME');
    const byKey = { authorization: `Bearer ${project.api_key}` };
    process.stdout.write(`machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), Node ${process.version}\n`);
    process.stdout.write(`autocannon: ${CONNECTIONS} connections, ${WARMUP_S} s warm-up, ${DURATION_S} s measured each\n`);
    // The same api in other configurations: the ratios of rate limiting and of JWT auth are to API-key auth without limits.
    const apiRun = async (label: string, env: Record<string, string>, headers: Record<string, string>) => {
      process.stdout.write(`api: ${label}\n`);
      api = await startServer('apps/api/src/main.js', { ...apiEnv, ...env }, `${base}/health/ready`);
      const m = await measure(`${base}/v1/messages`, api, headers).finally(() => stop(api));
      await settle();
      return m;
    };
    if (PARTS === 'observability') {
      await stop(api);
      process.stdout.write((await observabilityRuns(apiRun, byKey)).join('\n') + '\n');
      return;
    }
    if (PARTS !== 'all') throw new Error(`BENCH_PARTS must be all or observability, not ${PARTS}`);
    process.stdout.write(`api: ${workers} worker process(es), LOG_LEVEL=warn; API key, rate limiting on (Redis, defaults)\n`);
    const a = await measure(`${base}/v1/messages`, api, byKey);
    await stop(api);
    await settle();
    const u = await apiRun('API key, rate limiting off', { RATE_LIMITING: 'off' }, byKey);
    const jwt = await issuer.token(project.id, 'messages:send');
    const j = await apiRun(
      'JWT (ES256, JWKS on loopback), rate limiting off',
      { RATE_LIMITING: 'off', JWT_JWKS_URLS: jwksUrl, JWT_ISSUERS: BENCH_ISSUER, JWT_AUDIENCES: BENCH_AUDIENCE },
      { authorization: `Bearer ${jwt}` },
    );
    // Each baseline runs on the api's port in processes of its own, then leaves the database settled.
    const baseline = async (label: string, script: string, env: Record<string, string>, headers: Record<string, string> = {}) => {
      process.stdout.write(`${label}: ${workers} worker process(es)\n`);
      const server = await startServer(script, { DATABASE_URL: db.url, FLOOR_PORT: String(port), FLOOR_WORKERS: workers, ...env }, base);
      const m = await measure(base, server, headers).finally(() => stop(server));
      await settle();
      return m;
    };
    const f = await baseline('http floor (same group-committed write, no framework/auth/validation/logs)', 'bench/http-floor.js', {
      FLOOR_PROJECT_ID: project.id,
    });
    const n = await baseline(
      'api without Nest (Fastify, same validation, hooks, key check, segments, DTO and write)',
      'bench/fastify-floor.js',
      { FLOOR_PROJECT_ID: project.id, FLOOR_KEY_HASH: hashApiKey(project.api_key) },
      byKey,
    );
    const o = await observabilityRuns(apiRun, byKey);
    process.stdout.write(`pgbench: ${PG_CLIENTS} clients, ${DURATION_S} s, same message + timeline + outbox transaction\n`);
    const pg = await pgbench(db.url, project.id);
    const ratio = a.rate / pg.tps;
    const lines = [
      `POST /v1/messages accepted: ${a.rate.toFixed(0)} req/s (non-2xx/errors: ${a.other})`,
      `latency p50 ${a.p50} ms, p99 ${a.p99} ms (target p99 <= 25 ms: ${a.p99 <= 25 ? 'met' : 'NOT met'})`,
      `http floor: ${f.rate.toFixed(0)} req/s, p50 ${f.p50} ms, p99 ${f.p99} ms (non-2xx/errors: ${f.other})`,
      `api without Nest: ${n.rate.toFixed(0)} req/s, p50 ${n.p50} ms, p99 ${n.p99} ms (non-2xx/errors: ${n.other})`,
      `CPU per accepted request (server + Postgres + Redis + autocannon): api ${cpuLine(a)}; http floor ${cpuLine(f)}; api without Nest ${cpuLine(n)}`,
      `machine cores over each measured run (of ${cpus().length}): api ${hostLine(a)}; http floor ${hostLine(f)}; api without Nest ${hostLine(n)}`,
      `pgbench baseline: ${pg.tps.toFixed(0)} tx/s (avg latency ${pg.latencyMs} ms)`,
      `ratio api/pgbench: ${ratio.toFixed(2)} (target >= 0.5: ${ratio >= 0.5 ? 'met' : 'NOT met'}); api/floor: ${(a.rate / f.rate).toFixed(2)}; api/api without Nest: ${(a.rate / n.rate).toFixed(2)}`,
      `api, API key, rate limiting off: ${u.rate.toFixed(0)} req/s, p50 ${u.p50} ms, p99 ${u.p99} ms (non-2xx/errors: ${u.other}); CPU ${cpuLine(u)}`,
      `api, JWT, rate limiting off: ${j.rate.toFixed(0)} req/s, p50 ${j.p50} ms, p99 ${j.p99} ms (non-2xx/errors: ${j.other}); CPU ${cpuLine(j)}`,
      `ratio with rate limiting / API key without limits: ${(a.rate / u.rate).toFixed(2)} (target >= 0.9: ${a.rate / u.rate >= 0.9 ? 'met' : 'NOT met'})`,
      `ratio JWT auth / API key without limits: ${(j.rate / u.rate).toFixed(2)} (target >= 0.9: ${j.rate / u.rate >= 0.9 ? 'met' : 'NOT met'})`,
      ...o,
    ];
    process.stdout.write(lines.join('\n') + '\n');
  } finally {
    await stop(api);
    await issuer.stop();
    await db.drop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
