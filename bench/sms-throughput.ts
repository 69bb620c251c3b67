import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus } from 'node:os';
import { Client } from 'pg';
import { request } from 'undici';
import { eventually, GatewayClient, SmscControl, SmscStats, runPool } from '@gw/stack-client';
import { cpuMeter, machineBusyMeter, pidsWhere, postgresPids } from './proc-cpu';

/**
 * Benchmark (b): N messages through the whole gateway (api -> outbox -> Kafka -> sms-connector ->
 * Jasmin) against the same N posted straight to Jasmin's `/send` with the same parameters
 * (level-3 DLRs to a local ACK endpoint), same SMSC simulator, in the same run. Each leg is timed
 * from its first request until the SMSC has acknowledged (submit_sm_resp) all of its messages.
 * The N messages of each way are sent in ROUNDS legs that alternate (direct, gateway, then
 * gateway, direct, ...), so a change in the machine's background load during the run weighs on
 * both ways alike. Between legs the bench waits until the SMSC has sent every delivery receipt and
 * Jasmin has thrown every level-2 DLR to that way's receiver (the bench's ACK endpoint, or the
 * gateway, which records the message `delivered`), plus SETTLE_MS, so one leg's tail of DLRs is
 * not billed to the next; it prints how long that drain took after the SMSC's last receipt.
 * Prints each leg, both overall rates (messages/s over the summed leg times) and their ratio
 * (target >= 0.95); how long after the level-1 DLR the level-2 DLR of a message reached its
 * receiver (p50/p99: how late a delivery is known); then, for each way, the CPU per message of
 * Jasmin, RabbitMQ, the SMSC simulator, each gateway app, Postgres, Redis, Kafka and the bench
 * itself, read from /proc (Linux), how many cores the machine kept busy and how many the host
 * stole (steal, per leg too): on a shared machine the gateway's CPU is CPU that Jasmin does not
 * get, and so is stolen time.
 */
const N = Number(process.env.BENCH_MESSAGES ?? 2000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 50);
const SETTLE_MS = Number(process.env.BENCH_SETTLE_MS ?? 2000);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls the SMSC's counters every 20 ms until `done` holds; throws after 10 min naming `what`. */
function until(smsc: SmscControl, what: string, done: (s: SmscStats) => boolean): Promise<true> {
  return eventually(async () => (done(await smsc.stats()) ? true : undefined), 600_000, what, 20);
}

/** The processes whose CPU the bench reports, by role, each found by its command line. */
const COMPONENTS: Array<[string, () => number[]]> = [
  ['Jasmin (jasmind)', () => pidsWhere((c) => c.includes('jasmind.py'))],
  ["RabbitMQ (Jasmin's queues)", () => pidsWhere((c) => c.includes('beam.smp'))],
  ['SMSC simulator', () => pidsWhere((c) => c.includes('dist/tools/smsc-sim/'))],
  ...['api', 'sms-connector', 'webhook-ingress', 'workers'].map((app): [string, () => number[]] => [
    app,
    () => pidsWhere((c) => c.includes(`dist/apps/${app}/`)),
  ]),
  ['Postgres', postgresPids],
  ['Redis', () => pidsWhere((c) => c.startsWith('redis-server'))],
  ['Kafka', () => pidsWhere((c) => c.includes(' kafka.Kafka '))],
];

/** CPU seconds one way used over its legs: per component, this bench process, and the machine's busy and stolen core-seconds. */
interface WayCpu {
  components: Map<string, number>;
  bench: number;
  busyCoreSeconds: number;
  stolenCoreSeconds: number;
  wallSeconds: number;
}

const newWayCpu = (): WayCpu => ({
  components: new Map(COMPONENTS.map(([name]) => [name, 0])),
  bench: 0,
  busyCoreSeconds: 0,
  stolenCoreSeconds: 0,
  wallSeconds: 0,
});

/** One way of sending: how to send message `i`, and how many level-2 DLRs its receiver has had so far. */
interface Way {
  send: (i: number) => Promise<void>;
  delivered: () => Promise<number>;
}

/**
 * Sends messages `first` .. `first + n - 1` the `way`, waits until the SMSC has taken all of them
 * and returns the seconds that took, with the cores the host stole meanwhile on average; then
 * waits (untimed) for their delivery receipts and for every level-2 DLR at the way's receiver, and
 * returns too how many seconds after the SMSC's last receipt that took (`drain`). The CPU of
 * every component, from the first request until the DLRs and SETTLE_MS after them (so each DLR's
 * processing counts), is added to `cpu`.
 */
async function leg(
  smsc: SmscControl,
  first: number,
  n: number,
  way: Way,
  cpu?: WayCpu,
): Promise<{ seconds: number; stolen: number; drain: number }> {
  const base = await smsc.stats();
  const baseDelivered = await way.delivered();
  const meters = cpu ? COMPONENTS.map(([name, pids]) => [name, cpuMeter(pids)] as const) : [];
  const bench = process.cpuUsage();
  const busy = machineBusyMeter();
  const started = process.hrtime.bigint();
  await runPool(n, CONCURRENCY, (i) => way.send(first + i));
  await until(smsc, `${n} submit_sm`, (s) => s.submits >= base.submits + n);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const stolen = busy().stolen;
  await until(smsc, `${n} delivery receipts`, (s) => s.receiptsSent >= base.receiptsSent + n);
  const receipted = process.hrtime.bigint();
  await eventually(async () => ((await way.delivered()) >= baseDelivered + n ? true : undefined), 600_000, `${n} level-2 DLRs`, 20);
  const drain = Number(process.hrtime.bigint() - receipted) / 1e9;
  await sleep(SETTLE_MS);
  if (cpu) {
    const wall = Number(process.hrtime.bigint() - started) / 1e9;
    for (const [name, meter] of meters) cpu.components.set(name, (cpu.components.get(name) ?? 0) + meter());
    const used = process.cpuUsage(bench);
    cpu.bench += (used.user + used.system) / 1e6;
    const machine = busy();
    cpu.busyCoreSeconds += machine.busy * wall;
    cpu.stolenCoreSeconds += machine.stolen * wall;
    cpu.wallSeconds += wall;
  }
  return { seconds, stolen, drain };
}

/** The per-message CPU table of both ways (ms per message; the machine's busy cores on average). */
function cpuTable(ways: Array<{ name: string; cpu: WayCpu }>, messages: number): string {
  const rows: Array<[string, ...number[]]> = [
    ...COMPONENTS.map(([name]): [string, ...number[]] => [name, ...ways.map((w) => (w.cpu.components.get(name)! * 1000) / messages)]),
    ['this bench (load, DLR receiver)', ...ways.map((w) => (w.cpu.bench * 1000) / messages)],
  ];
  const cell = (v: number) => v.toFixed(2).padStart(22);
  return [
    `CPU per message (ms, user + system), from each leg's first request to ${SETTLE_MS} ms after its last DLR:`,
    `  ${''.padEnd(32)}${ways.map((w) => w.name.padStart(22)).join('')}`,
    ...rows.map(([name, ...values]) => `  ${name.padEnd(32)}${values.map(cell).join('')}`),
    `  ${'machine: busy cores on average'.padEnd(32)}${ways.map((w) => cell(w.cpu.busyCoreSeconds / w.cpu.wallSeconds)).join('')} of ${cpus().length}`,
    `  ${'stolen by the host (steal)'.padEnd(32)}${ways.map((w) => cell(w.cpu.stolenCoreSeconds / w.cpu.wallSeconds)).join('')} cores`,
  ].join('\n');
}

/** p50 and p99 of `values` (nearest rank); NaN when there are none. */
function percentiles(values: number[]): [number, number] {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN;
  return [at(0.5), at(0.99)];
}

/** The time from `sent` to `delivered` in the timelines of the project's messages, ms each. */
async function gatewayLagsMs(db: Client, projectId: string): Promise<number[]> {
  const { rows } = await db.query<{ lag: number }>(
    `SELECT extract(epoch FROM d.occurred_at - s.occurred_at) * 1000 AS lag
       FROM messages m
       JOIN message_status_events s ON s.message_id = m.id AND s.status = 'sent'
       JOIN message_status_events d ON d.message_id = m.id AND d.status = 'delivered'
      WHERE m.project_id = $1`,
    [projectId],
  );
  return rows.map((r) => Number(r.lag));
}

const lagLine = ([p50, p99]: [number, number]) => `p50 ${p50.toFixed(0)}, p99 ${p99.toFixed(0)}`;

async function main(): Promise<void> {
  const env = process.env;
  const smsc = new SmscControl(env.SMSC_CONTROL_URL!);
  await smsc.setRules([], { outcome: 'delivered', delayMs: 50 });
  let directDelivered = 0;
  const levelOneAt = new Map<string, number>();
  const directLagMs: number[] = [];
  const ack = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    req.on('end', () => {
      const dlr = new URLSearchParams(raw);
      const id = dlr.get('id') ?? '';
      if (dlr.get('level') === '1') levelOneAt.set(id, performance.now());
      if (dlr.get('level') === '2') {
        directDelivered++;
        const sentAt = levelOneAt.get(id);
        levelOneAt.delete(id);
        if (sentAt !== undefined) directLagMs.push(performance.now() - sentAt);
      }
      res.end('ACK/Jasmin');
    });
  });
  await new Promise<void>((r) => ack.listen(0, '127.0.0.1', r));
  const dlrUrl = `http://127.0.0.1:${(ack.address() as AddressInfo).port}/dlr`;
  const gw = new GatewayClient(`http://127.0.0.1:${env.API_PORT ?? 58080}`);
  const project = await gw.createProject(env.OPERATOR_SECRET!, 'bench-sms');
  await gw.grantSenderId(env.OPERATOR_SECRET!, project.id, 'ACME');
  const client = gw.as(project.api_key);
  const body = 'Benchmark message through the SMS path';
  const db = new Client({ connectionString: env.DATABASE_URL });
  await db.connect();

  const direct = (i: number) =>
    request(new URL('/send', env.JASMIN_HTTP_URL), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        username: env.JASMIN_USERNAME!,
        password: env.JASMIN_PASSWORD!,
        to: `+1555${String(i).padStart(7, '0')}`,
        from: 'ACME',
        coding: '0',
        content: body,
        dlr: 'yes',
        'dlr-url': dlrUrl,
        'dlr-level': '3',
        'dlr-method': 'POST',
      }).toString(),
    }).then(async (res) => {
      const text = await res.body.text();
      if (res.statusCode !== 200) throw new Error(`jasmin ${res.statusCode}: ${text}`);
    });
  const viaGateway = (i: number) => client.send({ to: `+1556${String(i).padStart(7, '0')}`, from: 'ACME', body }).then(() => undefined);
  const gatewayDelivered = async () =>
    Number(
      (await db.query<{ n: string }>(`SELECT count(*) AS n FROM messages WHERE project_id = $1 AND status = 'delivered'`, [project.id]))
        .rows[0].n,
    );
  const straight: Way = { send: direct, delivered: async () => directDelivered };
  const gateway: Way = { send: viaGateway, delivered: gatewayDelivered };

  process.stdout.write(`machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), Node ${process.version}\n`);
  process.stdout.write(`warm-up: 100 messages each way\n`);
  await leg(smsc, 0, 100, straight);
  await leg(smsc, 0, 100, gateway);
  const perLeg = Math.ceil(N / ROUNDS);
  process.stdout.write(
    `measuring: ${perLeg * ROUNDS} messages each way in ${ROUNDS} alternating legs of ${perLeg}, ${CONCURRENCY} in flight, each until the SMSC acknowledged all\n`,
  );
  const ways = [
    { name: 'straight to Jasmin', ...straight, seconds: 0, cpu: newWayCpu() },
    { name: 'through the gateway', ...gateway, seconds: 0, cpu: newWayCpu() },
  ];
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? ways : [...ways].reverse();
    for (const way of order) {
      const { seconds, stolen, drain } = await leg(smsc, 100 + round * perLeg, perLeg, way, way.cpu);
      way.seconds += seconds;
      process.stdout.write(
        `  round ${round + 1}, ${way.name.padEnd(19)}: ${(perLeg / seconds).toFixed(1)} msg/s (host steal ${stolen.toFixed(2)} cores; DLRs drained ${drain.toFixed(1)} s after the last receipt)\n`,
      );
    }
  }
  const [directRate, gatewayRate] = ways.map((w) => (perLeg * ROUNDS) / w.seconds);
  const ratio = gatewayRate / directRate;
  process.stdout.write(
    [
      `straight to Jasmin /send: ${directRate.toFixed(1)} msg/s (baseline)`,
      `through the gateway:      ${gatewayRate.toFixed(1)} msg/s`,
      `ratio gateway/Jasmin: ${ratio.toFixed(2)} (target >= 0.95: ${ratio >= 0.95 ? 'met' : 'NOT met'})`,
      `level-1 to level-2 DLR (the SMSC sends each receipt 50 ms after its submit_sm_resp), ms: straight to Jasmin, at the bench's receiver, ${lagLine(percentiles(directLagMs))}; through the gateway, sent -> delivered as recorded, ${lagLine(percentiles(await gatewayLagsMs(db, project.id)))}`,
      cpuTable(ways, perLeg * ROUNDS),
    ].join('\n') + '\n',
  );
  ack.close();
  await db.end();
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
