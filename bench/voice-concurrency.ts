import { cpus } from 'node:os';
import { request } from 'undici';
import { ApiCall, AriSimControl, AriSimRule, CALL_TERMINAL, GatewayClient, runPool } from '@gw/stack-client';

/**
 * Benchmark (c): N concurrent simulated calls (default 5,000) over every call orchestrator replica
 * (the fleet of `scripts/apps.sh fleet up`: orchestrator-a and orchestrator-b, each on both ARI
 * simulators), each running a five-verb flow (say, play, pause, gather with a key press, hangup)
 * through the api, Kafka, the orchestrators and the simulators. The calls are placed
 * BENCH_CONCURRENCY at a time with a pause long enough for all of them to be live at once (three
 * times what N calls take at the placing rate of a warm-up, plus 30 s, at most 600 s; or
 * BENCH_PAUSE_S). Prints:
 * - each simulator's mode (the goals are for realistic mode: events before REST answers, jitter);
 * - how many calls were live at once (the orchestrators' `gw_calls_active`, summed) and, when fewer
 *   than N, what ran out: the error that stopped the ramp (the api refusing or timing out, EMFILE,
 *   an orchestrator not answering, a call that failed, placed calls not live while none became
 *   live for LIVE_WITHIN_S);
 * - per-verb scheduling latency p50/p99 (from the result of one verb to the ARI request of the
 *   next, from the orchestrators' histograms, summed) under load and for a baseline of a few calls
 *   one at a time in the same run, and the p99 ratio load / baseline (goal <= 5);
 * - RSS and heap per live call, summed over the orchestrators (after a full GC with all calls
 *   live, minus before the load; goal RSS <= 50 KB);
 * - how the calls spread over the ARI servers (all calls) and the replicas (a sample read at the peak);
 * - the calls that did not complete (another status, or not ended by the deadline): must be 0,
 *   else the exit code is 1.
 */
const N = Number(process.env.BENCH_CALLS ?? 5000);
const BASELINE = Number(process.env.BENCH_BASELINE_CALLS ?? 10);
const PLACE_CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 50);
/** Calls of the warm-up, placed as the load is: their placing rate sets the pause under load. */
const WARMUP = 4 * PLACE_CONCURRENCY;
/** Placed calls not live while none became live this long: the orchestrators ran out (s). */
const LIVE_WITHIN_S = 30;
/** A call not ended this long after its pause would have ended counts as not completed. */
const END_MARGIN_S = 120;
/** Live calls read at the peak for the spread over the replicas. */
const SPREAD_SAMPLE = 200;
/** The flow DSL's longest pause (libs/flow/src/limits.ts). */
const MAX_PAUSE_S = 600;
const GOAL_P99_RATIO = 5;
const GOAL_RSS_KB = 50;
const VERBS = ['say', 'play', 'pause', 'gather', 'hangup'];
/** Every far end answers after 100 ms and presses 1 during the third playback (the gather's prompt). */
const FAR_END: AriSimRule = { outcome: 'answer', answerAfterMs: 100, digits: [{ digits: '1', afterPlaybackStartMs: 300, playback: 3 }] };

const flow = (pauseS: number) => ({
  version: 1,
  steps: [
    { verb: 'say', text: 'Welcome to the benchmark.' },
    { verb: 'play', url: 'sound:hello-world' },
    { verb: 'pause', length: pauseS },
    {
      verb: 'gather',
      numDigits: 1,
      timeout: 5,
      prompt: { verb: 'say', text: 'Press a key.' },
      branches: { '1': 'bye' },
      default: 'bye',
      onTimeout: 'bye',
    },
    { verb: 'hangup', label: 'bye' },
  ],
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const sum = (xs: number[]) => xs.reduce((a, x) => a + x, 0);
const write = (line: string) => process.stdout.write(line + '\n');
/** The caller id of every call: a number of this run's own, assigned to the benchmark's project. */
const CALLER = `+1559${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
const placeBody = (prefix: string, i: number, pauseS: number) => ({
  to: `${prefix}${String(i).padStart(7, '0')}`,
  from: CALLER,
  flow: flow(pauseS),
});

/** An error's message with its code and cause (`connect EMFILE ...`, `Headers Timeout Error: ...`). */
function errText(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const code = (err as { code?: string }).code;
  const text = code && !err.message.includes(code) ? `${code} ${err.message}` : err.message;
  return err.cause ? `${text}: ${errText(err.cause)}` : text;
}

/** The api and the orchestrators' base URLs. */
interface Bench {
  gw: GatewayClient;
  urls: string[];
}

/** BENCH_ORCHESTRATOR_URLS (comma-separated), else the fleet's two replicas, else the one orchestrator. */
function orchestratorUrls(env: NodeJS.ProcessEnv): string[] {
  if (env.BENCH_ORCHESTRATOR_URLS) return env.BENCH_ORCHESTRATOR_URLS.split(',').map((u) => u.trim());
  const fleet = env.ORCHESTRATOR_A_PORT && env.ORCHESTRATOR_B_PORT;
  const ports = fleet ? [env.ORCHESTRATOR_A_PORT, env.ORCHESTRATOR_B_PORT] : [env.ORCHESTRATOR_PORT ?? 58084];
  return ports.map((p) => `http://127.0.0.1:${p}`);
}

/** Cumulative counts of the scheduling histogram: `<verb> <orchestrator url>` -> upper bound (ms) -> count. */
type Buckets = Map<string, Map<number, number>>;

/** Histogram readings before and after one part of the run. */
interface Window {
  before: Buckets;
  after: Buckets;
}

async function metricsText(url: string): Promise<string> {
  const res = await request(`${url}/metrics`, { signal: AbortSignal.timeout(10000) });
  return res.body.text();
}

function gauge(text: string, name: string): number {
  return Number(new RegExp(`^${name}(?:\\{[^}]*\\})? ([\\d.e+-]+)`, 'm').exec(text)?.[1] ?? NaN);
}

/** Every orchestrator's histogram and live calls (`gw_calls_active`; 0 for one that did not answer, named in `errors`). */
async function scrape(urls: string[]): Promise<{ buckets: Buckets; live: number[]; errors: string[] }> {
  const out = { buckets: new Map() as Buckets, live: [] as number[], errors: [] as string[] };
  (await Promise.allSettled(urls.map(metricsText))).forEach((res, i) => {
    if (res.status === 'rejected') {
      out.live.push(0);
      out.errors.push(`orchestrator ${urls[i]} did not answer: ${errText(res.reason)}`);
      return;
    }
    out.live.push(gauge(res.value, 'gw_calls_active'));
    for (const m of res.value.matchAll(/^gw_call_verb_scheduling_seconds_bucket\{le="([^"]+)",verb="([^"]+)"\} (\d+)/gm)) {
      const key = `${m[2]} ${urls[i]}`;
      const counts = out.buckets.get(key) ?? new Map<number, number>();
      counts.set(m[1] === '+Inf' ? Infinity : Number(m[1]) * 1000, Number(m[3]));
      out.buckets.set(key, counts);
    }
  });
  return out;
}

/**
 * Quantile of the histogram deltas over a window, summed over the orchestrators: the upper bound
 * (ms) of the bucket holding it. An orchestrator missing from `after` counts for nothing.
 */
function quantile(w: Window, q: number, verbs?: string[]): { ms: number; count: number } {
  const sums = new Map<number, number>();
  for (const [key, counts] of w.after) {
    if (verbs && !verbs.includes(key.split(' ')[0])) continue;
    const prev = w.before.get(key);
    for (const [le, n] of counts) sums.set(le, (sums.get(le) ?? 0) + n - (prev?.get(le) ?? 0));
  }
  const sorted = [...sums].sort((a, b) => a[0] - b[0]);
  const total = sorted.at(-1)?.[1] ?? 0;
  const hit = sorted.find(([, n]) => n >= q * total);
  return { ms: hit ? hit[0] : NaN, count: total };
}

interface Memory {
  heap: number;
  rss: number;
}

/** Heap and RSS (bytes) of one orchestrator after a full GC. @throws Error unless it answers and runs with --expose-gc */
async function heapAfterGc(url: string): Promise<Memory> {
  const fleetUp = 'start the orchestrators with NODE_OPTIONS=--expose-gc bash scripts/apps.sh fleet up';
  const res = await request(`${url}/metrics/heap`, { signal: AbortSignal.timeout(30000) }).catch((err: unknown) => {
    throw new Error(`orchestrator ${url}: ${errText(err)} (${fleetUp})`);
  });
  const m = (await res.body.json()) as { gc: boolean; heap_used_bytes: number; rss_bytes: number };
  if (!m.gc) throw new Error(`orchestrator ${url} runs without --expose-gc: ${fleetUp}`);
  return { heap: m.heap_used_bytes, rss: m.rss_bytes };
}

/** Heap and RSS (bytes) of all orchestrators together, each after a full GC. */
async function memory(urls: string[]): Promise<Memory> {
  const each = await Promise.all(urls.map(heapAfterGc));
  return { heap: sum(each.map((m) => m.heap)), rss: sum(each.map((m) => m.rss)) };
}

/** Far-end rules on every simulator, and a line with each one's mode. */
async function prepareSimulators(sims: AriSimControl[]): Promise<void> {
  for (const sim of sims) {
    await sim.setRules([], FAR_END);
    const m = await sim.mode();
    const mode = m.realistic
      ? `realistic mode (events up to ${m.eventJitterMs} ms late, REST answers up to ${m.restDelayMaxMs} ms late, seed ${m.seed})`
      : 'NOT in realistic mode (the goals are for realistic mode: start it without ARI_SIM_REALISTIC=0)';
    write(`ARI simulator ${sim.baseUrl}: ${mode}`);
  }
}

/** Why a call did not complete: its status, hangup cause and the last reason of its timeline, or the verb it is still on. */
function whyNot(c: ApiCall): string {
  if (!CALL_TERMINAL.has(c.status)) return `still ${c.status}${c.current_verb ? ` on ${c.current_verb}` : ''}`;
  const reason = c.timeline
    .map((e) => e.detail?.reason)
    .filter(Boolean)
    .at(-1);
  return `${c.status} (${c.hangup_cause ?? 'no cause'})${reason ? `: ${String(reason)}` : ''}`;
}

const UNSUCCESSFUL = [...CALL_TERMINAL].filter((s) => s !== 'completed');

/** One call of the project created since `since` that ended other than completed, with its timeline; undefined when none did. */
async function firstUnsuccessful(gw: GatewayClient, since: string): Promise<ApiCall | undefined> {
  const pages = await Promise.all(UNSUCCESSFUL.map((s) => gw.getRaw(`/v1/calls?status=${s}&date_from=${since}&limit=1`)));
  const hit = pages.map((p) => (p.body as { data?: ApiCall[] }).data?.[0]).find(Boolean);
  return hit && gw.call(hit.id);
}

/** Calls as the api shows them, read PLACE_CONCURRENCY at a time, in the order of `ids`. */
async function readCalls(gw: GatewayClient, ids: string[]): Promise<ApiCall[]> {
  const out: ApiCall[] = [];
  await runPool(ids.length, PLACE_CONCURRENCY, async (i) => void (out[i] = await gw.call(ids[i])));
  return out;
}

/** A ramp of calls placed at once: what was placed, the most live at once, and what stopped it. */
interface Ramp {
  ids: string[];
  /** When each call was placed (ms). */
  placedAt: number[];
  /** Shortly before the first call, as the `date_from` of the api's call list. */
  since: string;
  placingS: number;
  /** Most calls live at once, in all and per orchestrator. */
  held: number;
  heldPer: number[];
  /** When `held` last grew (ms): calls still queued behind the orchestrators are a backlog while it grows. */
  grewAt: number;
  /** What stopped the ramp or kept placed calls from being live. */
  stop?: string;
}

/**
 * One look during a ramp: records the most calls live at once and what stops the ramp (an
 * orchestrator not answering, a call that ended other than completed, placed calls not live while
 * no call became live for LIVE_WITHIN_S); resolves with the calls live now.
 */
async function watch(b: Bench, r: Ramp, pauseS: number): Promise<number> {
  const s = await scrape(b.urls);
  const live = sum(s.live);
  const now = Date.now();
  if (live > r.held) {
    r.held = live;
    r.heldPer = s.live;
    r.grewAt = now;
  }
  const waiting = r.placedAt.filter((t) => t > now - pauseS * 1000).length - live;
  const stalled = waiting > 0 && now - r.grewAt > LIVE_WITHIN_S * 1000;
  const ended = await firstUnsuccessful(b.gw, r.since).catch((err: unknown) => `the api: ${errText(err)}`);
  r.stop ??=
    s.errors[0] ??
    (typeof ended === 'string' ? ended : ended && `call ${ended.id} ${whyNot(ended)}`) ??
    (stalled ? `${waiting} placed calls are not live and none became live for ${LIVE_WITHIN_S} s` : undefined);
  return live;
}

/** Places `count` calls PLACE_CONCURRENCY at a time, watching the orchestrators every second; stops placing once the ramp must stop. */
async function place(b: Bench, count: number, pauseS: number, prefix: string): Promise<Ramp> {
  const start = Date.now();
  const r: Ramp = {
    ids: [],
    placedAt: [],
    since: new Date(start - 1000).toISOString(),
    placingS: 0,
    held: 0,
    heldPer: b.urls.map(() => 0),
    grewAt: start,
  };
  let placing = true;
  const watching = (async () => {
    while (placing) {
      await watch(b, r, pauseS);
      await sleep(1000);
    }
  })();
  await runPool(count, PLACE_CONCURRENCY, async (i) => {
    if (r.stop) return;
    try {
      r.ids.push((await b.gw.placeCall(placeBody(prefix, i, pauseS))).id);
      r.placedAt.push(Date.now());
    } catch (err) {
      r.stop ??= `placing a call after ${r.ids.length} were placed: ${errText(err)}`;
    }
  });
  r.placingS = (Date.now() - start) / 1000;
  placing = false;
  await watching;
  return r;
}

/**
 * Waits until every placed call is live while calls keep becoming live (the orchestrators work
 * through the backlog of placed calls), or once the ramp stopped until no more calls become live;
 * names why not all are live when they are not.
 */
async function untilAllLive(b: Bench, r: Ramp, pauseS: number): Promise<void> {
  const deadline = (r.placedAt[0] ?? Date.now()) + pauseS * 1000;
  let [before, live] = [-1, await watch(b, r, pauseS)];
  while (live < r.ids.length && Date.now() < deadline && !(r.stop && live <= before)) {
    await sleep(1000);
    [before, live] = [live, await watch(b, r, pauseS)];
  }
  if (live >= r.ids.length) return;
  r.stop ??=
    r.placingS > pauseS
      ? `placing took ${r.placingS.toFixed(0)} s, longer than the ${pauseS} s pause: the first calls ended before the last was placed (raise BENCH_PAUSE_S)`
      : `${r.ids.length - live} of ${r.ids.length} placed calls were not live before the first call's pause ended`;
}

/** The calls once no orchestrator drives any, each re-read until it ended or `deadline` passed. */
async function afterEnd(b: Bench, ids: string[], deadline: number): Promise<ApiCall[]> {
  while (Date.now() < deadline && sum((await scrape(b.urls)).live) > 0) await sleep(1000);
  const calls = new Map<string, ApiCall>();
  let pending = ids;
  for (;;) {
    for (const c of await readCalls(b.gw, pending)) calls.set(c.id, c);
    pending = pending.filter((id) => !CALL_TERMINAL.has(calls.get(id)?.status ?? ''));
    if (!pending.length || Date.now() >= deadline) return ids.flatMap((id) => calls.get(id) ?? []);
    await sleep(2000);
  }
}

/** The pause under load: BENCH_PAUSE_S, else three times what N calls take at `rate` (calls/s) plus 30 s, at most MAX_PAUSE_S. */
function pauseFor(rate: number): { s: number; why: string } {
  if (process.env.BENCH_PAUSE_S) return { s: Number(process.env.BENCH_PAUSE_S), why: 'BENCH_PAUSE_S' };
  const s = Math.min(MAX_PAUSE_S, Math.ceil((3 * N) / rate) + 30);
  return { s, why: `3 x ${N} calls at ${rate.toFixed(0)} calls/s + 30 s, at most ${MAX_PAUSE_S} s` };
}

/** Places WARMUP calls (pause 1 s) as the load will be and waits for their end; prints and resolves with the placing rate (calls/s). */
async function warmUp(b: Bench): Promise<number> {
  const r = await place(b, WARMUP, 1, '+1558');
  if (r.stop) throw new Error(`warm-up: ${r.stop}`);
  await afterEnd(b, r.ids, Date.now() + END_MARGIN_S * 1000);
  const rate = r.ids.length / r.placingS;
  write(`warm-up: ${WARMUP} calls placed ${PLACE_CONCURRENCY} at a time at ${rate.toFixed(0)} calls/s`);
  return rate;
}

/** BASELINE calls one at a time (pause 1 s), each as the api shows it once ended or after 60 s. */
async function baselineCalls(gw: GatewayClient): Promise<ApiCall[]> {
  const out: ApiCall[] = [];
  for (let i = 0; i < BASELINE; i++) {
    const { id } = await gw.placeCall(placeBody('+1557', i, 1));
    out.push(await gw.waitForCall(id, (c) => CALL_TERMINAL.has(c.status), 60000).catch(() => gw.call(id)));
  }
  return out;
}

/** Memory per live call (KB), summed over the orchestrators. */
interface PerCall {
  live: number;
  heapKb: number;
  rssKb: number;
}

/** Per live call, from `idle` to now; or why it was not measured. */
async function perLiveCall(urls: string[], idle: Memory): Promise<PerCall | string> {
  try {
    const now = await memory(urls);
    const live = sum((await scrape(urls)).live);
    if (!live) return 'no call was live';
    return { live, heapKb: (now.heap - idle.heap) / live / 1024, rssKb: (now.rss - idle.rss) / live / 1024 };
  } catch (err) {
    return errText(err);
  }
}

/** `a 2, b 3` from the count of each value. */
function tally(values: string[]): string {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts]
    .sort((x, y) => x[0].localeCompare(y[0]))
    .map(([v, n]) => `${v} ${n}`)
    .join(', ');
}

/** The replicas driving a sample of the calls, read while all are live (`replica` is null once a call ended). */
async function replicaSpread(gw: GatewayClient, ids: string[]): Promise<string> {
  const step = Math.max(1, Math.floor(ids.length / SPREAD_SAMPLE));
  const sample = ids.filter((_, i) => i % step === 0).slice(0, SPREAD_SAMPLE);
  return `${tally((await readCalls(gw, sample)).map((c) => c.replica ?? 'none (ended)'))} (${sample.length} calls read at the peak)`;
}

/** `met` when `ok` held with all N calls live at once. */
function verdict(ok: boolean, held: number): string {
  if (!ok) return 'NOT met';
  return held >= N ? 'met' : `met, but with ${held} calls live, not ${N}`;
}

/** `p50 <= 1 ms, p99 <= 2 ms (10 samples)` of `verbs` (all when omitted) over a window, and the p99 (ms). */
function figures(w: Window, verbs?: string[]): { text: string; p99: number } {
  const p50 = quantile(w, 0.5, verbs);
  const p99 = quantile(w, 0.99, verbs);
  return { text: `p50 <= ${p50.ms} ms, p99 <= ${p99.ms} ms (${p99.count} samples)`, p99: p99.ms };
}

/** The latency table: per verb and for all verbs, baseline and load p50/p99 and the p99 ratio; the ratio of all verbs is the goal's. */
function printLatency(base: Window, load: Window, complete: boolean, held: number): void {
  write(`scheduling latency (upper bound of the histogram bucket), baseline = ${BASELINE} calls one at a time:`);
  const line = (label: string, verbs?: string[]) => {
    const [b, l] = [figures(base, verbs), figures(load, verbs)];
    return {
      ratio: l.p99 / b.p99,
      text: `  ${label.padEnd(7)} baseline ${b.text}; load ${l.text}; p99 load/baseline ${(l.p99 / b.p99).toFixed(1)}`,
    };
  };
  for (const verb of VERBS) write(line(verb, [verb]).text);
  // A call that never completed has no samples for its later verbs, so the quantiles alone would flatter the run.
  const all = line('all');
  write(`${all.text} (goal <= ${GOAL_P99_RATIO} with every call completed: ${verdict(all.ratio <= GOAL_P99_RATIO && complete, held)})`);
}

function printMemory(m: PerCall | string, held: number): void {
  if (typeof m === 'string') {
    write(`memory per live call: not measured: ${m} (goal RSS <= ${GOAL_RSS_KB} KB: NOT met)`);
    return;
  }
  write(
    `memory per live call, ${m.live} live, summed over the orchestrators (after a full GC, minus before the load): ` +
      `RSS ${m.rssKb.toFixed(1)} KB, heap ${m.heapKb.toFixed(1)} KB (goal RSS <= ${GOAL_RSS_KB} KB: ${verdict(m.rssKb <= GOAL_RSS_KB, held)})`,
  );
}

/** The calls that did not complete, with the most frequent reasons; resolves with their number. */
function printNotCompleted(baseline: ApiCall[], load: ApiCall[]): number {
  const failed = [...baseline, ...load].filter((c) => c.status !== 'completed');
  write(
    `calls that did not complete: ${failed.length} of ${baseline.length + load.length} ` +
      `(${baseline.length} baseline, ${load.length} load; must be 0: ${failed.length ? 'NOT met' : 'met'})`,
  );
  const reasons = new Map<string, number>();
  for (const why of failed.map(whyNot)) reasons.set(why, (reasons.get(why) ?? 0) + 1);
  for (const [why, n] of [...reasons].sort((a, b) => b[1] - a[1]).slice(0, 5)) write(`  ${n} x ${why}`);
  return failed.length;
}

/** How many calls were live at once and, when not all, what ran out. */
function printRamp(r: Ramp): void {
  write(`load: ${r.ids.length} of ${N} calls placed ${PLACE_CONCURRENCY} at a time in ${r.placingS.toFixed(1)} s`);
  write(`  held: ${r.held} of ${N} calls live at once (${r.heldPer.join(' + ')} per orchestrator)`);
  if (r.stop) write(`  ran out: ${r.stop}`);
}

async function main(): Promise<void> {
  const env = process.env;
  const api = new GatewayClient(`http://127.0.0.1:${env.API_PORT ?? 58080}`);
  const project = await api.createProject(env.OPERATOR_SECRET!, 'bench-voice');
  await api.addNumber(env.OPERATOR_SECRET!, project.id, CALLER);
  const b: Bench = { gw: api.as(project.api_key), urls: orchestratorUrls(env) };
  await memory(b.urls); // fails here, not after the warm-up, when an orchestrator is down or runs without --expose-gc
  write(`machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), Node ${process.version}`);
  write(`orchestrators: ${b.urls.join(', ')}`);
  await prepareSimulators([env.ARI_URL, env.ARI_URL_2].filter((u): u is string => Boolean(u)).map((u) => new AriSimControl(u)));
  const pause = pauseFor(await warmUp(b));
  write(`flow: say, play, pause (1 s in the baseline, ${pause.s} s under load: ${pause.why}), gather (key pressed), hangup`);

  const base: Window = { before: (await scrape(b.urls)).buckets, after: new Map() };
  const baseline = await baselineCalls(b.gw);
  base.after = (await scrape(b.urls)).buckets;

  const idle = await memory(b.urls);
  const r = await place(b, N, pause.s, '+1556');
  await untilAllLive(b, r, pause.s);
  printRamp(r);
  const mem = await perLiveCall(b.urls, idle);
  const replicas = await replicaSpread(b.gw, r.ids);
  printMemory(mem, r.held);
  const calls = await afterEnd(b, r.ids, (r.placedAt.at(-1) ?? Date.now()) + (pause.s + END_MARGIN_S) * 1000);
  const load: Window = { before: base.after, after: (await scrape(b.urls)).buckets };

  write(`spread: ARI servers ${tally(calls.map((c) => c.ari_server ?? 'none'))} (all calls); replicas ${replicas}`);
  const complete = baseline.concat(calls).every((c) => c.status === 'completed');
  printLatency(base, load, complete, r.held);
  if (printNotCompleted(baseline, calls) > 0) process.exitCode = 1;
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
