/**
 * The pure part of benchmark (b): which ways a run covers, its goals' verdicts and, for a goal it
 * misses, which component bounds the way from the CPU it measured.
 */

/** The ways benchmark (b) can run, as BENCH_WAYS names them. */
export const WAY_NAMES = ['raw', 'smpp', 'jasmin', 'jasmin-default', 'kannel'] as const;
export type WayName = (typeof WAY_NAMES)[number];

/**
 * Reads BENCH_WAYS: way names joined by `,` (spaces ignored); empty or absent means every way, in
 * WAY_NAMES order. @throws Error naming an unknown way.
 */
export function parseWays(spec: string | undefined): WayName[] {
  const asked = (spec ?? '')
    .split(',')
    .map((w) => w.trim())
    .filter(Boolean);
  if (asked.length === 0) return [...WAY_NAMES];
  const unknown = asked.filter((w) => !(WAY_NAMES as readonly string[]).includes(w));
  if (unknown.length > 0) throw new Error(`BENCH_WAYS: unknown way ${unknown.join(', ')} (ways: ${WAY_NAMES.join(', ')})`);
  return WAY_NAMES.filter((w) => asked.includes(w));
}

/** Messages per second; NaN when no time was measured. */
export function rate(messages: number, seconds: number): number {
  return seconds > 0 ? messages / seconds : NaN;
}

/**
 * Cores one process uses on average (CPU s over wall s) from which it counts as saturated: a
 * single-threaded event loop (Node, Jasmin's Twisted reactor, Redis) has no time left for more work.
 */
export const SATURATED_CORES = 0.85;

/** What one component used during a window of a way, in cores on average: all its processes, and its busiest process. */
export interface ComponentLoad {
  name: string;
  cores: number;
  busiestProcessCores: number;
}

/** The machine during that window: busy and stolen cores on average, out of `cores`. */
export interface MachineLoad {
  busy: number;
  stolen: number;
  cores: number;
}

const fmt = (v: number): string => v.toFixed(2);

/**
 * Names what bounds a way from its loads: the busiest process at or above SATURATED_CORES; else,
 * when the machine (busy plus stolen) is at SATURATED_CORES of its cores or more, the machine's CPU
 * with the component using most of it; else no CPU bound (a window, a prefetch or a round trip
 * limits the way), naming the busiest process all the same. `loads` may be empty.
 */
export function boundingComponent(loads: ComponentLoad[], machine: MachineLoad): string {
  const byProcess = [...loads].sort((a, b) => b.busiestProcessCores - a.busiestProcessCores)[0];
  const byTotal = [...loads].sort((a, b) => b.cores - a.cores)[0];
  if (byProcess && byProcess.busiestProcessCores >= SATURATED_CORES) {
    return `${byProcess.name}: one process at ${fmt(byProcess.busiestProcessCores)} cores (saturated)`;
  }
  const used = machine.busy + machine.stolen;
  if (used >= SATURATED_CORES * machine.cores) {
    const largest = byTotal ? `; largest user ${byTotal.name} at ${fmt(byTotal.cores)} cores` : '';
    return `the machine's CPU: ${fmt(machine.busy)} busy + ${fmt(machine.stolen)} stolen of ${machine.cores} cores${largest}`;
  }
  const busiest = byProcess ? `; busiest process ${byProcess.name} at ${fmt(byProcess.busiestProcessCores)} cores` : '';
  return `no CPU bound (${fmt(used)} of ${machine.cores} cores busy or stolen${busiest}): a window, prefetch or round trip limits it`;
}

/**
 * One goal's line: `<label>: <value> (goal >= <atLeast>) PASS`, or `... MISS, bound by <bound()>`;
 * `n/a (<why>)` when `value` is null or not a number (a way it compares was not run).
 */
export function goalLine(label: string, value: number | null, atLeast: number, bound: () => string, why: string): string {
  if (value === null || !Number.isFinite(value)) return `${label}: n/a (${why})`;
  const head = `${label}: ${fmt(value)} (goal >= ${atLeast})`;
  return value >= atLeast ? `${head} PASS` : `${head} MISS, bound by ${bound()}`;
}
