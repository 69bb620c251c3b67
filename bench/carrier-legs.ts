import { cpus } from 'node:os';
import { runPool } from '@gw/stack-client';
import type { ComponentLoad, MachineLoad } from './carrier-goals';
import { rate } from './carrier-goals';
import { cpuMeter, machineBusyMeter, pidsWhere, postgresPids, redisPids } from './proc-cpu';

/** The processes whose CPU benchmark (b) reports, by role, each found by its command line. */
export const COMPONENTS: ReadonlyArray<readonly [string, () => number[]]> = [
  ['SMSC simulator', () => pidsWhere((c) => c.includes('tools/smsc-sim/'))],
  ['Jasmin (jasmind)', () => pidsWhere((c) => c.includes('jasmind.py'))],
  ["RabbitMQ (Jasmin's queues)", () => pidsWhere((c) => c.includes('beam.smp'))],
  ['Kannel bearerbox', () => pidsWhere((c) => /(^|\/)bearerbox /.test(c))],
  ['Kannel smsbox', () => pidsWhere((c) => /(^|\/)smsbox /.test(c))],
  ...['api', 'sms-connector', 'webhook-ingress', 'workers'].map(
    (app) => [app, () => pidsWhere((c) => c.includes(`dist/apps/${app}/`))] as const,
  ),
  ['Postgres', postgresPids],
  ['Redis', redisPids],
  ['Kafka', () => pidsWhere((c) => c.includes(' kafka.Kafka '))],
];

/**
 * One way of sending an MT through the local stack. Counters only grow; a leg reads them before
 * and after. `send` sends the way's next message (each way numbers its own).
 */
export interface Way {
  /** Column label in the tables (at most 11 characters). */
  readonly label: string;
  /** What the way is, in the per-leg lines and the results. */
  readonly name: string;
  /** Messages in flight at once (HTTP requests, or the SMPP window). */
  readonly concurrency: number;
  /** The window the way's goal is timed over (and its busiest processes are reported for). */
  readonly timedBy: LegWindow;
  send(): Promise<void>;
  /** Messages the SMSC has acknowledged (submit_sm_resp) so far. */
  accepted(): Promise<number>;
  /** Messages whose delivery the way's receiver knows of so far (receipt, DLR or callback). */
  completed(): Promise<number>;
  /** For a gateway way: its messages recorded `delivered` so far. */
  recorded?(): Promise<number>;
  /** Before each leg (a bind to open). */
  open?(): Promise<void>;
  /** After each leg, also when it failed. */
  close?(): Promise<void>;
}

/** Times of a leg's phases; CPU is metered by the caller of runLeg. */
export interface LegOptions {
  /** Poll period of the counters, ms. */
  pollMs: number;
  /** A counter that does not move for this long fails the leg, ms. */
  stallMs: number;
  /** Kept metering after the last delivery, so its processing counts (late acknowledgements, commits), ms. */
  settleMs: number;
}

/** CPU a window of a way's legs used: wall s, machine busy and stolen core-s, and per component its CPU s and its busiest process's CPU s. */
interface WindowCpu {
  wall: number;
  busy: number;
  stolen: number;
  components: Map<string, { total: number; busiest: number }>;
}

const newWindow = (): WindowCpu => ({ wall: 0, busy: 0, stolen: 0, components: new Map() });

/** The windows a leg is metered over: from its first request until the SMSC acknowledged all, and until every delivery was known. */
export type LegWindow = 'accepted' | 'complete';

/** What one way measured over its legs: messages, times in s, CPU s. */
export class WayTotals {
  messages = 0;
  acceptedSeconds = 0;
  completeSeconds = 0;
  /** CPU s per component, from each leg's first request to settleMs after its last delivery. */
  readonly cpu = new Map<string, number>(COMPONENTS.map(([name]) => [name, 0]));
  bench = 0;
  busyCoreSeconds = 0;
  stolenCoreSeconds = 0;
  wallSeconds = 0;
  readonly windows: Record<LegWindow, WindowCpu> = { accepted: newWindow(), complete: newWindow() };

  /** Messages per second until the SMSC acknowledged them all. */
  get acceptedRate(): number {
    return rate(this.messages, this.acceptedSeconds);
  }

  /** Messages per second until every delivery was known at the way's receiver. */
  get completeRate(): number {
    return rate(this.messages, this.completeSeconds);
  }

  /** Each component's cores during `window` (all its processes, and its busiest process). */
  loads(window: LegWindow): ComponentLoad[] {
    const w = this.windows[window];
    return [...w.components].map(([name, c]) => ({ name, cores: c.total / w.wall, busiestProcessCores: c.busiest / w.wall }));
  }

  /** The machine during `window`: busy and stolen cores on average. */
  machine(window: LegWindow): MachineLoad {
    const w = this.windows[window];
    return { busy: w.busy / w.wall, stolen: w.stolen / w.wall, cores: cpus().length };
  }
}

/**
 * Meters CPU from now on: per component as a whole (processes listed again at the end, so new
 * Postgres backends count) and per process of those running now (for the busiest one), this
 * process, and the machine. Linux only (/proc).
 */
function startMeter(): { window: (into: WindowCpu, wall: number) => void; finish: (into: WayTotals, wall: number) => void } {
  const components = COMPONENTS.map(([name, pids]) => ({
    name,
    whole: cpuMeter(pids),
    processes: pids().map((pid) => cpuMeter(() => [pid])),
  }));
  const bench = process.cpuUsage();
  const machine = machineBusyMeter();
  return {
    window: (into, wall) => {
      for (const c of components) {
        // A process that exited reads as 0 CPU: clamp its (negative) difference.
        const used = c.processes.map((m) => Math.max(0, m()));
        const prev = into.components.get(c.name) ?? { total: 0, busiest: 0 };
        into.components.set(c.name, {
          total: prev.total + used.reduce((a, b) => a + b, 0),
          busiest: prev.busiest + Math.max(0, ...used),
        });
      }
      const m = machine();
      into.wall += wall;
      into.busy += m.busy * wall;
      into.stolen += m.stolen * wall;
    },
    finish: (into, wall) => {
      for (const c of components) into.cpu.set(c.name, (into.cpu.get(c.name) ?? 0) + c.whole());
      const used = process.cpuUsage(bench);
      into.bench += (used.user + used.system) / 1e6;
      const m = machine();
      into.busyCoreSeconds += m.busy * wall;
      into.stolenCoreSeconds += m.stolen * wall;
      into.wallSeconds += wall;
    },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const since = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1e9;

/**
 * Polls `read` until it reaches `target`. @throws Error naming `what` when it stays unchanged for
 * opts.stallMs (a counter that never completes would otherwise hang the benchmark).
 */
async function until(read: () => Promise<number>, target: number, what: string, opts: LegOptions): Promise<void> {
  let last = -1;
  let movedAt = Date.now();
  for (;;) {
    const value = await read();
    if (value >= target) return;
    if (value !== last) {
      last = value;
      movedAt = Date.now();
    } else if (Date.now() - movedAt > opts.stallMs) {
      throw new Error(`${what}: ${value} of ${target}, unchanged for ${opts.stallMs / 1000} s`);
    }
    await sleep(opts.pollMs);
  }
}

/** Times of one leg, s: until the SMSC acknowledged every message and until every delivery was known; cores the host stole meanwhile. */
export interface LegResult {
  accepted: number;
  complete: number;
  stolen: number;
}

/**
 * Sends `n` messages `way`, at most way.concurrency in flight, and times them from the first
 * request: until the SMSC acknowledged all (way.accepted), then until the way's receiver knew of
 * every delivery (way.completed, and way.recorded for a gateway way). Then waits opts.settleMs.
 * With `totals`, the leg's times, messages and CPU are added to it; without (a warm-up), only the
 * deliveries are awaited, since a warm-up may still go through another connector while a new route
 * reaches the sms-connector.
 */
export async function runLeg(way: Way, n: number, opts: LegOptions, totals?: WayTotals): Promise<LegResult> {
  await way.open?.();
  try {
    const accepted0 = await way.accepted();
    const completed0 = await way.completed();
    const recorded0 = way.recorded ? await way.recorded() : 0;
    const meter = totals ? startMeter() : null;
    const steal = machineBusyMeter();
    const started = process.hrtime.bigint();
    await runPool(n, way.concurrency, () => way.send());
    if (totals) await until(() => way.accepted(), accepted0 + n, `${way.name}: messages the SMSC acknowledged`, opts);
    const accepted = since(started);
    const stolen = steal().stolen;
    if (meter && totals) meter.window(totals.windows.accepted, accepted);
    await until(() => way.completed(), completed0 + n, `${way.name}: deliveries known at its receiver`, opts);
    if (way.recorded) await until(() => way.recorded!(), recorded0 + n, `${way.name}: messages recorded delivered`, opts);
    const complete = since(started);
    if (meter && totals) meter.window(totals.windows.complete, complete);
    await sleep(opts.settleMs);
    if (meter && totals) {
      meter.finish(totals, since(started));
      totals.messages += n;
      totals.acceptedSeconds += accepted;
      totals.completeSeconds += complete;
    }
    return { accepted, complete, stolen };
  } finally {
    await way.close?.();
  }
}

const cell = (v: number, width: number): string => (Number.isFinite(v) ? v.toFixed(2) : '-').padStart(width);

/**
 * The per-message CPU table (ms, user + system) of every way, one column each, with the machine's
 * busy and stolen cores on average; then the cores of each component's busiest process while the
 * way was timed for its goal (Way.timedBy), the figures behind a MISS.
 */
export function cpuTables(ways: Array<{ way: Way; totals: WayTotals }>): string {
  const width = 13;
  const head = `  ${''.padEnd(34)}${ways.map((w) => w.way.label.padStart(width)).join('')}`;
  const row = (name: string, values: number[], suffix = ''): string =>
    `  ${name.padEnd(34)}${values.map((v) => cell(v, width)).join('')}${suffix}`;
  const perMessage = (cpuS: number, t: WayTotals): number => (cpuS * 1000) / t.messages;
  const cores = cpus().length;
  const busiest = (name: string, w: { way: Way; totals: WayTotals }): number =>
    w.totals.loads(w.way.timedBy).find((l) => l.name === name)?.busiestProcessCores ?? NaN;
  const untilDelivered = ways.filter((w) => w.way.timedBy === 'complete').map((w) => w.way.label);
  const timed = `until the SMSC acknowledged every message${untilDelivered.length ? `; ${untilDelivered.join(', ')}: until every delivery was known` : ''}`;
  return [
    "CPU per message (ms, user + system), from each leg's first request until after its last delivery:",
    head,
    ...COMPONENTS.map(([name]) =>
      row(
        name,
        ways.map((w) => perMessage(w.totals.cpu.get(name) ?? 0, w.totals)),
      ),
    ),
    row(
      'this bench (load, receivers, ESME)',
      ways.map((w) => perMessage(w.totals.bench, w.totals)),
    ),
    row(
      'machine: busy cores on average',
      ways.map((w) => w.totals.busyCoreSeconds / w.totals.wallSeconds),
      ` of ${cores}`,
    ),
    row(
      'stolen by the host (steal), cores',
      ways.map((w) => w.totals.stolenCoreSeconds / w.totals.wallSeconds),
    ),
    `Cores of the busiest process of each component while timed (${timed}; >= 0.85: saturated):`,
    head,
    ...COMPONENTS.map(([name]) =>
      row(
        name,
        ways.map((w) => busiest(name, w)),
      ),
    ),
    row(
      'machine: busy cores',
      ways.map((w) => w.totals.machine(w.way.timedBy).busy),
      ` of ${cores}`,
    ),
    row(
      'stolen by the host, cores',
      ways.map((w) => w.totals.machine(w.way.timedBy).stolen),
    ),
  ].join('\n');
}
