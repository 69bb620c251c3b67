import { cpus } from 'node:os';
import { request } from 'undici';
import { AriSimControl, CALL_TERMINAL, GatewayClient, runPool } from '@gw/stack-client';

/**
 * Benchmark: N concurrent simulated calls (default 1,000), each running a five-verb flow
 * (say, play, pause, gather with a key press, hangup) through the api, Kafka, the call orchestrator
 * and the ARI simulator. Prints per-verb scheduling latency p50/p99 (time from the result of one
 * verb to the ARI request of the next, from the orchestrator's histogram) and the orchestrator's
 * memory per live call, next to the same figures for a baseline of a few calls run one at a time
 * in the same run. Targets: p99 <= 20 ms, <= 100 KB per call.
 */
const N = Number(process.env.BENCH_CALLS ?? 1000);
const BASELINE = Number(process.env.BENCH_BASELINE_CALLS ?? 10);
const PLACE_CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 50);
/** Long enough that every call is still live when the last one is placed. */
const PAUSE_S = Number(process.env.BENCH_PAUSE_S ?? 60);

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

type Buckets = Map<string, Array<[number, number]>>;

async function metricsText(orchestratorUrl: string): Promise<string> {
  const res = await request(`${orchestratorUrl}/metrics`);
  return res.body.text();
}

function buckets(text: string): Buckets {
  const out: Buckets = new Map();
  for (const m of text.matchAll(/^call_verb_scheduling_seconds_bucket\{le="([^"]+)",verb="([^"]+)"\} (\d+)/gm)) {
    const list = out.get(m[2]) ?? [];
    list.push([m[1] === '+Inf' ? Infinity : Number(m[1]) * 1000, Number(m[3])]);
    out.set(m[2], list);
  }
  return out;
}

function gauge(text: string, name: string): number {
  return Number(new RegExp(`^${name}(?:\\{[^}]*\\})? ([\\d.e+-]+)`, 'm').exec(text)?.[1] ?? NaN);
}

/** Quantile from cumulative histogram deltas: the upper bound (ms) of the bucket holding it. */
function quantile(before: Buckets, after: Buckets, q: number, verbs?: string[]): { ms: number; count: number } {
  const sum = new Map<number, number>();
  for (const [verb, list] of after) {
    if (verbs && !verbs.includes(verb)) continue;
    const prev = new Map(before.get(verb) ?? []);
    for (const [le, n] of list) sum.set(le, (sum.get(le) ?? 0) + n - (prev.get(le) ?? 0));
  }
  const sorted = [...sum].sort((a, b) => a[0] - b[0]);
  const total = sorted.at(-1)?.[1] ?? 0;
  const want = q * total;
  const hit = sorted.find(([, n]) => n >= want);
  return { ms: hit ? hit[0] : NaN, count: total };
}

/** Heap and RSS (bytes) of the orchestrator after a full GC. @throws Error unless it runs with --expose-gc */
async function heapAfterGc(orchestratorUrl: string): Promise<{ heap: number; rss: number }> {
  const res = await request(`${orchestratorUrl}/metrics/heap`);
  const m = (await res.body.json()) as { gc: boolean; heap_used_bytes: number; rss_bytes: number };
  if (!m.gc) throw new Error('start the call orchestrator with NODE_OPTIONS=--expose-gc to measure memory per call');
  return { heap: m.heap_used_bytes, rss: m.rss_bytes };
}

async function runCalls(
  gw: GatewayClient,
  count: number,
  concurrent: boolean,
  orchestratorUrl: string,
  pauseS: number,
): Promise<{ maxActive: number; failed: number; perCallKb?: { heap: number; rss: number } }> {
  const ids: string[] = [];
  const idle = await heapAfterGc(orchestratorUrl);
  let atPeak: { active: number; heap: number; rss: number } | undefined;
  let maxActive = 0;
  let measuring = false;
  // Once every call is live (they sit in a long pause), one full GC and a reading.
  const sample = setInterval(() => {
    if (!concurrent || measuring) return;
    void metricsText(orchestratorUrl).then(async (t) => {
      const active = gauge(t, 'calls_active');
      maxActive = Math.max(maxActive, active);
      if (active >= count && !measuring) {
        measuring = true;
        atPeak = { active, ...(await heapAfterGc(orchestratorUrl)) };
      }
    });
  }, 500);
  if (concurrent) {
    await runPool(
      count,
      PLACE_CONCURRENCY,
      async (i) =>
        void ids.push((await gw.placeCall({ to: `+1556${String(i).padStart(7, '0')}`, from: '+15550000001', flow: flow(pauseS) })).id),
    );
    for (const id of ids) await gw.waitForCall(id, (c) => CALL_TERMINAL.has(c.status), 600000);
  } else {
    for (let i = 0; i < count; i++) {
      const c = await gw.placeCall({ to: `+1557${String(i).padStart(7, '0')}`, from: '+15550000001', flow: flow(pauseS) });
      await gw.waitForCall(c.id, (x) => CALL_TERMINAL.has(x.status), 60000);
      ids.push(c.id);
    }
  }
  clearInterval(sample);
  const failed = [];
  for (const id of ids) {
    const c = await gw.call(id);
    if (c.status !== 'completed') failed.push(`${id}:${c.status}`);
  }
  if (failed.length) process.stdout.write(`  ${failed.length} calls did not complete: ${failed.slice(0, 5).join(', ')}\n`);
  if (!atPeak) return { maxActive, failed: failed.length };
  return {
    maxActive: atPeak.active,
    failed: failed.length,
    perCallKb: { heap: (atPeak.heap - idle.heap) / atPeak.active / 1024, rss: (atPeak.rss - idle.rss) / atPeak.active / 1024 },
  };
}

/** The memory line: per live call, or why it was not measured (never every call live at once). */
function memoryLine({ maxActive, perCallKb }: { maxActive: number; perCallKb?: { heap: number; rss: number } }): string {
  if (!perCallKb) {
    return `  memory per live call: not measured, at most ${maxActive} of ${N} calls were live at once (target <= 100 KB: NOT met)`;
  }
  const met = perCallKb.heap <= 100 && perCallKb.rss <= 100;
  return `  memory per live call: heap ${perCallKb.heap.toFixed(1)} KB, RSS ${perCallKb.rss.toFixed(1)} KB (after a full GC, with all calls live, minus idle; target <= 100 KB: ${met ? 'met' : 'NOT met'})`;
}

async function main(): Promise<void> {
  const env = process.env;
  const orchestratorUrl = `http://127.0.0.1:${env.ORCHESTRATOR_PORT ?? 58084}`;
  const sim = new AriSimControl(env.ARI_URL!);
  await sim.setRules([], { outcome: 'answer', answerAfterMs: 100, digits: [{ digits: '1', afterPlaybackStartMs: 300, playback: 3 }] });
  const api = new GatewayClient(`http://127.0.0.1:${env.API_PORT ?? 58080}`);
  const gw = api.as((await api.createProject(env.OPERATOR_SECRET!, 'bench-voice')).api_key);
  process.stdout.write(`machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), Node ${process.version}\n`);
  process.stdout.write(`flow: say, play, pause (1 s in the baseline, ${PAUSE_S} s under load), gather (key pressed), hangup\n`);

  await runCalls(gw, 1, false, orchestratorUrl, 1);
  let before = buckets(await metricsText(orchestratorUrl));
  const baseline = await runCalls(gw, BASELINE, false, orchestratorUrl, 1);
  let after = buckets(await metricsText(orchestratorUrl));
  const base50 = quantile(before, after, 0.5);
  const base99 = quantile(before, after, 0.99);
  process.stdout.write(
    `baseline, ${BASELINE} calls one at a time: scheduling p50 <= ${base50.ms} ms, p99 <= ${base99.ms} ms (${base99.count} verbs)\n`,
  );

  before = after;
  const load = await runCalls(gw, N, true, orchestratorUrl, PAUSE_S);
  after = buckets(await metricsText(orchestratorUrl));
  const p50 = quantile(before, after, 0.5);
  const p99 = quantile(before, after, 0.99);
  process.stdout.write(`${N} calls placed ${PLACE_CONCURRENCY} at a time, peak ${load.maxActive} live in the orchestrator:\n`);
  for (const verb of ['say', 'play', 'pause', 'gather', 'hangup']) {
    const v50 = quantile(before, after, 0.5, [verb]);
    const v99 = quantile(before, after, 0.99, [verb]);
    process.stdout.write(`  ${verb.padEnd(7)} p50 <= ${v50.ms} ms, p99 <= ${v99.ms} ms (${v99.count} samples)\n`);
  }
  // A call that never completed has no latency samples for its later verbs, so the quantiles alone would flatter the run.
  const complete = baseline.failed + load.failed === 0;
  const latencyMet = p99.ms <= 20 && complete;
  process.stdout.write(
    `  all verbs: p50 <= ${p50.ms} ms, p99 <= ${p99.ms} ms (target p99 <= 20 ms, every call completed: ${latencyMet ? 'met' : 'NOT met'}); p99 / baseline p99 = ${(p99.ms / base99.ms).toFixed(1)}\n`,
  );
  process.stdout.write(memoryLine(load) + '\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
