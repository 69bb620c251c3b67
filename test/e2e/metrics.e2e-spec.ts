import { Client } from 'pg';
import { ConsumerGroups } from '@gw/kafka';
import { AriSimControl } from '@gw/stack-client';
import { CarrierAdmin, final } from '../support/carriers';
import { apps, E2e, env, eventually, TestProject, uniqueNumber } from '../support/e2e';

/** The apps and the env var of each one's HTTP port, where `GET /metrics` is served. */
const PORTS = {
  api: 'API_PORT',
  'webhook-ingress': 'WEBHOOK_INGRESS_PORT',
  'sms-connector': 'SMS_CONNECTOR_PORT',
  workers: 'WORKERS_PORT',
  'call-orchestrator': 'ORCHESTRATOR_PORT',
} as const;
type App = keyof typeof PORTS;

/** One sample of the Prometheus text exposition format 0.0.4: `name{label="value",...} value`. */
interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses prom-client's text output (no escaped quotes in the gateway's label values); comments are skipped. */
function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="([^"]*)"/g)) labels[l[1]] = l[2];
    samples.push({ name: m[1], labels, value: Number(m[3]) });
  }
  return samples;
}

/** The metrics of one app, with the raw text (to check that no raw id became a label). */
class Scrape {
  constructor(
    readonly text: string,
    readonly samples: Sample[],
  ) {}

  /** Sum over the series of `name` whose labels include `labels`; 0 when there is none. */
  sum(name: string, labels: Record<string, string> = {}): number {
    return this.series(name, labels).reduce((a, s) => a + s.value, 0);
  }

  /** The series of `name` whose labels include `labels`. */
  series(name: string, labels: Record<string, string> = {}): Sample[] {
    return this.samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  }
}

async function scrape(app: App): Promise<Scrape> {
  const res = await fetch(`http://127.0.0.1:${env(PORTS[app])}/metrics`, { signal: AbortSignal.timeout(10000) });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${app} /metrics answered ${res.status}: ${text.slice(0, 200)}`);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain;.*version=0\.0\.4/);
  return new Scrape(text, parseExposition(text));
}

/** Polls `app`'s metrics until `ok` holds (a poll, not a sleep: counters move once answers are finished). */
function until(app: App, ok: (m: Scrape) => boolean, timeoutMs = 30000): Promise<Scrape> {
  return eventually(
    async () => {
      const m = await scrape(app);
      return ok(m) ? m : undefined;
    },
    timeoutMs,
    `${app} metrics: ${ok.toString().slice(0, 300)}`,
  );
}

async function get(app: App, path: string): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${env(PORTS[app])}${path}`, { signal: AbortSignal.timeout(10000) });
  await res.arrayBuffer();
  return res.status;
}

/**
 * Every metric of the metrics contract, on `GET /metrics` of the app that owns it, moved by
 * driving the behaviour it counts through the running stack: HTTP requests per route template,
 * Postgres pools and Redis clients, receipts through Jasmin (webhook-ingress) and the direct SMPP
 * bind (sms-connector), submits, the outbox relay, Kafka consumer lag, BullMQ queues and dead
 * letters, callbacks failing and recovering, and calls on the ARI simulator (scheduling, active
 * calls, reconciliation after a restart, the watchdog, an ARI reconnection).
 */
describe('Prometheus metrics of every app', () => {
  const t = new E2e();
  const admin = new CarrierAdmin(t);
  const sim = new AriSimControl(env('ARI_URL'));
  let p: TestProject;

  beforeAll(async () => {
    await t.start();
    p = await t.project('metrics');
  });
  afterAll(async () => {
    await t.smsc.setRules([]);
    await admin.restore();
    await apps('up');
    await t.stop();
  });

  it('every app exports the default process metrics, its Postgres pool and its requests per route template', async () => {
    for (const app of Object.keys(PORTS) as App[]) {
      const before = await scrape(app);
      const labels = { method: 'GET', route: '/health/ready', status_code: '200' };
      for (let i = 0; i < 3; i++) expect(await get(app, '/health/ready')).toBe(200);
      // In the api every worker process answers some of them: each scrape must still count all three.
      const after = await until(
        app,
        (m) =>
          m.sum('gw_http_requests_total', labels) - before.sum('gw_http_requests_total', labels) === 3 &&
          m.sum('gw_http_request_duration_seconds_count', labels) - before.sum('gw_http_request_duration_seconds_count', labels) === 3,
      );
      expect([app, after.series('process_cpu_seconds_total').length]).toEqual([app, 1]);
      expect([app, after.series('nodejs_eventloop_lag_seconds').length]).toEqual([app, 1]);
      // The readiness checks just ran a query: the pool holds at least that connection.
      expect(after.sum('gw_pg_pool_connections', { state: 'total' })).toBeGreaterThanOrEqual(1);
      expect(after.series('gw_pg_pool_connections', { state: 'idle' })).toHaveLength(1);
      expect(after.series('gw_pg_pool_connections', { state: 'waiting' })).toHaveLength(1);
    }
  });

  it('labels requests with route templates, never raw ids, and unknown paths as unmatched', async () => {
    const m = await p.gw.send({ to: uniqueNumber(), from: 'ACME', body: 'route label' });
    // Final before the next test counts receipts and submits.
    await final(p, m.id);
    const before = await scrape('api');
    expect((await p.gw.getRaw(`/v1/messages/${m.id}`)).status).toBe(200);
    expect(await get('api', `/no/such/path/${m.id}`)).toBe(404);
    const forged = await get('webhook-ingress', `/webhooks/jasmin/dlr?msg=${m.id}&conn=x&token=forged`);
    expect(forged).toBe(403);

    const byTemplate = { method: 'GET', route: '/v1/messages/:messageId', status_code: '200' };
    const unmatched = { method: 'GET', route: 'unmatched', status_code: '404' };
    const after = await until(
      'api',
      (s) =>
        s.sum('gw_http_requests_total', byTemplate) > before.sum('gw_http_requests_total', byTemplate) &&
        s.sum('gw_http_requests_total', unmatched) > before.sum('gw_http_requests_total', unmatched),
    );
    expect(after.text).not.toContain(m.id);
    const ingress = await until('webhook-ingress', (s) =>
      s.series('gw_http_requests_total', { route: '/webhooks/:kind/dlr', status_code: '403' }).some((x) => x.value >= 1),
    );
    expect(ingress.text).not.toContain(m.id);
  });

  it('reports each Redis client connected', async () => {
    expect((await scrape('api')).sum('gw_redis_connected', { client: 'rate_limit' })).toBe(1);
    const connector = await scrape('sms-connector');
    expect(connector.sum('gw_redis_connected', { client: 'connector' })).toBe(1);
    expect(connector.sum('gw_redis_connected', { client: 'registry_subscriber' })).toBe(1);
    expect((await scrape('workers')).sum('gw_redis_connected', { client: 'queue_metrics' })).toBe(1);
  });

  it('times Jasmin receipts in webhook-ingress by status, counts submits and relayed events', async () => {
    const [ingress0, connector0, workers0] = await Promise.all([scrape('webhook-ingress'), scrape('sms-connector'), scrape('workers')]);
    const outcomes = { delivered: uniqueNumber(), undeliverable: uniqueNumber(), expired: uniqueNumber() };
    await t.smsc.setRules(Object.entries(outcomes).map(([outcome, to]) => ({ match: to, outcome, delayMs: 300 })));
    const sent = await Promise.all(Object.values(outcomes).map((to) => p.gw.send({ to, from: 'ACME', body: 'receipt latency' })));
    const done = await Promise.all(sent.map((m) => final(p, m.id)));
    expect(done.map((m) => m.status)).toEqual(['delivered', 'undelivered', 'undelivered']);

    const receipts = (s: Scrape, status: string) => s.sum('gw_sms_receipt_seconds_count', { connector: 'jasmin-local', status });
    const ingress = await until('webhook-ingress', (s) =>
      ['delivered', 'undeliverable', 'expired'].every((st) => receipts(s, st) - receipts(ingress0, st) >= 1),
    );
    expect(receipts(ingress, 'sent') - receipts(ingress0, 'sent')).toBeGreaterThanOrEqual(1);
    // Each final receipt came at least the SMSC's 300 ms after its submit.
    const latency = (s: Scrape) => s.sum('gw_sms_receipt_seconds_sum', { connector: 'jasmin-local', status: 'delivered' });
    expect(latency(ingress) - latency(ingress0)).toBeGreaterThanOrEqual(0.3);

    const submits = { connector: 'jasmin-local', outcome: 'submitted' };
    const connector = await scrape('sms-connector');
    expect(
      connector.sum('gw_connector_submits_total', submits) - connector0.sum('gw_connector_submits_total', submits),
    ).toBeGreaterThanOrEqual(3);
    const submitted = (s: Scrape) => s.sum('gw_connector_submit_seconds_count', { connector: 'jasmin-local' });
    expect(submitted(connector) - submitted(connector0)).toBeGreaterThanOrEqual(3);
    expect(connector.series('gw_connector_breaker_state', { connector: 'jasmin-local', state: 'closed' })[0]?.value).toBe(1);

    const workers = await scrape('workers');
    const relayed = (s: Scrape, topic: string) => s.sum('gw_relay_published_total', { topic });
    expect(relayed(workers, 'sms.outbound.v1') - relayed(workers0, 'sms.outbound.v1')).toBeGreaterThanOrEqual(3);
    expect(relayed(workers, 'sms.events.v1') - relayed(workers0, 'sms.events.v1')).toBeGreaterThanOrEqual(6);
  });

  it('times receipts of the direct SMPP bind in the sms-connector', async () => {
    const smpp = await admin.connectorId('smpp-local');
    const prefix = `1555${uniqueNumber().slice(-7, -4)}`;
    await admin.route(p, prefix, [smpp]);
    const tail = uniqueNumber().slice(-3);
    const numbers = { delivered: `+${prefix}${tail}1`, rejected: `+${prefix}${tail}2` };
    const before = await scrape('sms-connector');
    await t.smsc.setRules(Object.entries(numbers).map(([outcome, match]) => ({ match, outcome, delayMs: 200 })));
    const sent = await Promise.all(Object.values(numbers).map((n) => p.gw.send({ to: n, from: 'ACME', body: 'smpp receipt' })));
    const done = await Promise.all(sent.map((m) => final(p, m.id)));
    expect(done.map((m) => m.status)).toEqual(['delivered', 'undelivered']);

    const receipts = (s: Scrape, status: string) => s.sum('gw_sms_receipt_seconds_count', { connector: 'smpp-local', status });
    await until('sms-connector', (s) => ['delivered', 'rejected'].every((st) => receipts(s, st) - receipts(before, st) >= 1));
  });

  it('counts callbacks retried, delivered after the receiver recovers, and dead-lettered, with the queues behind them', async () => {
    const before = await scrape('workers');
    const callbacks = (s: Scrape, outcome: string) => s.sum('gw_callbacks_total', { outcome });
    const timed = (s: Scrape, outcome: string) => s.sum('gw_callback_duration_seconds_count', { outcome });

    // A receiver that fails, then recovers: the next attempt of the retried callback is delivered.
    const flaky = await t.project('metrics-flaky');
    flaky.receiver.respondWith = 500;
    const first = await flaky.gw.send({ to: uniqueNumber(), from: 'ACME', body: 'callback recovers' });
    await eventually(async () => (flaky.receiver.attempts > 0 ? true : undefined), 30000, 'a failed callback attempt', 10);
    flaky.receiver.respondWith = 200;
    await eventually(async () => (flaky.receiver.about(first.id).length > 0 ? true : undefined), 30000, 'a delivered callback');
    const recovered = await until('workers', (s) => callbacks(s, 'delivered') > callbacks(before, 'delivered'));
    expect(callbacks(recovered, 'retried')).toBeGreaterThan(callbacks(before, 'retried'));
    expect(timed(recovered, 'retried')).toBeGreaterThan(timed(before, 'retried'));
    expect(timed(recovered, 'delivered')).toBeGreaterThan(timed(before, 'delivered'));

    // A receiver that stays down: each callback is retried, then dead-lettered (CALLBACK_ATTEMPTS=3).
    const down = await t.project('metrics-down');
    down.receiver.respondWith = 500;
    await down.gw.send({ to: uniqueNumber(), from: 'ACME', body: 'callback dead-lettered' });
    const dlq = { queue: 'callbacks.dlq' };
    const dead = await until(
      'workers',
      (s) =>
        callbacks(s, 'dead_lettered') > callbacks(before, 'dead_lettered') &&
        s.sum('gw_dead_letters', dlq) > before.sum('gw_dead_letters', dlq),
      60000,
    );
    expect(timed(dead, 'dead_lettered')).toBeGreaterThan(timed(before, 'dead_lettered'));
    expect(dead.sum('gw_queue_jobs', { queue: 'callbacks.dlq', state: 'waiting' })).toBeGreaterThan(
      before.sum('gw_queue_jobs', { queue: 'callbacks.dlq', state: 'waiting' }),
    );
    // Every queue and its dead-letter queue, in every state.
    for (const queue of ['sms-submit', 'sms-submit.dlq', 'callbacks', 'callbacks.dlq']) {
      for (const state of ['waiting', 'active', 'delayed', 'failed'])
        expect([queue, state, dead.series('gw_queue_jobs', { queue, state }).length]).toEqual([queue, state, 1]);
    }
    expect(dead.series('gw_dead_letters', { queue: 'sms-submit.dlq' })).toHaveLength(1);

    // A receiver that answers 410 Gone: given up at once, neither retried nor dead-lettered.
    const gone = await t.project('metrics-gone');
    gone.receiver.respondWith = 410;
    await gone.gw.send({ to: uniqueNumber(), from: 'ACME', body: 'callback given up' });
    const givenUp = await until('workers', (s) => callbacks(s, 'given_up') > callbacks(dead, 'given_up'), 30000);
    expect(timed(givenUp, 'given_up')).toBeGreaterThan(timed(dead, 'given_up'));
  });

  it('reports Kafka consumer lag of every consumer group: it grows while a consumer is down, and is back to 0 once they caught up', async () => {
    const connector = ConsumerGroups.SmsConnector;
    const lagOf = (s: Scrape) => s.sum('gw_kafka_consumer_lag', { group: connector.group, topic: connector.topics[0] });
    // The sms-connector is scaled down: the messages accepted meanwhile wait on its topic as lag.
    await apps('stop', 'sms-connector');
    try {
      await Promise.all([1, 2, 3].map(() => p.gw.send({ to: uniqueNumber(), from: 'ACME', body: 'lag' })));
      await until('workers', (s) => lagOf(s) >= 3, 60000);
    } finally {
      await apps('up');
    }
    for (const { group, topics } of Object.values(ConsumerGroups)) {
      for (const topic of topics) {
        // Consumers commit once a second; the lag is read at most every 5 s.
        await until(
          'workers',
          (s) => s.series('gw_kafka_consumer_lag', { group, topic }).length === 1 && s.sum('gw_kafka_consumer_lag', { group, topic }) === 0,
          60000,
        );
      }
    }
  });

  it('reports the outbox backlog: unpublished rows and the age of the oldest', async () => {
    // A row the relay cannot take: committed, then row-locked here (the relay skips locked rows).
    const db = new Client({ connectionString: env('DATABASE_URL') });
    await db.connect();
    try {
      const held = await eventually(async () => {
        const { rows } = await t.db.query<{ id: string }>(
          `INSERT INTO outbox (event_id, topic, key, type, payload, created_at)
           VALUES (gen_random_uuid(), 'sms.events.v1.dlq', 'metrics', 'metrics.backlog_probe', '{}', now() - interval '600 seconds') RETURNING id`,
        );
        await db.query('BEGIN');
        const locked = await db.query(`SELECT id FROM outbox WHERE id = $1 AND published_at IS NULL FOR UPDATE SKIP LOCKED`, [rows[0].id]);
        if (locked.rowCount === 1) return rows[0].id;
        await db.query('ROLLBACK');
        return undefined;
      });
      const backlog = await until('workers', (s) => s.sum('gw_outbox_unpublished') >= 1 && s.sum('gw_outbox_lag_seconds') >= 600);
      expect(backlog.series('gw_outbox_lag_seconds')).toHaveLength(1);
      await db.query('DELETE FROM outbox WHERE id = $1', [held]);
      await db.query('COMMIT');
      await until('workers', (s) => s.sum('gw_outbox_lag_seconds') < 600);
    } finally {
      await db.end();
    }
  });

  it('reports calls: verb scheduling, active calls, reconciliation after a restart, the watchdog and ARI reconnections', async () => {
    const before = await scrape('call-orchestrator');
    expect(before.series('gw_ari_server_up').some((s) => s.value === 1)).toBe(true);

    // A call runs: it is active while it does, and its verbs are scheduled.
    const to = uniqueNumber();
    await sim.setRules([{ number: to }]);
    const flow = { version: 1, steps: [{ verb: 'say', text: 'metrics' }, { verb: 'pause', length: 4 }, { verb: 'hangup' }] };
    const placed = await p.gw.placeCall({ to, from: p.number, flow });
    await p.gw.waitForCall(placed.id, (c) => c.timeline.some((e) => e.kind === 'verb_started' && e.event === 'pause'));
    const live = await until('call-orchestrator', (s) => s.sum('gw_calls_active') >= 1);
    const scheduled = (s: Scrape) => s.sum('gw_call_verb_scheduling_seconds_count', { verb: 'say' });
    expect(scheduled(live)).toBeGreaterThan(scheduled(before));

    // Restarted mid-call: the new process resumes it through reconciliation.
    await apps('kill', 'call-orchestrator');
    await apps('up');
    await until('call-orchestrator', (s) => s.sum('gw_calls_reconciled_total', { outcome: 'resumed' }) >= 1, 60000);
    expect((await p.gw.waitForCall(placed.id, undefined, 60000)).status).toBe('completed');
    await until('call-orchestrator', (s) => s.sum('gw_calls_active') === 0);

    // A channel that vanishes silently is ended by the watchdog (ring 5 s + limit 2 s + margin 5 s).
    const vanishing = uniqueNumber();
    await sim.setRules([{ number: vanishing }]);
    const quiet = await p.gw.placeCall({
      to: vanishing,
      from: p.number,
      flow: { version: 1, steps: [{ verb: 'pause', length: 60 }] },
      timeout: 5,
      time_limit: 2,
    });
    await p.gw.waitForCall(quiet.id, (c) => c.status === 'in-progress');
    await sim.vanish(quiet.id);
    await until('call-orchestrator', (s) => s.sum('gw_calls_watchdog_ended_total') >= 1, 40000);

    // The event WebSocket drops and comes back.
    const reconnects = (await scrape('call-orchestrator')).sum('gw_ari_reconnects_total');
    await sim.dropWebSockets(1500);
    const back = await until('call-orchestrator', (s) => s.sum('gw_ari_reconnects_total') > reconnects);
    expect(back.series('gw_ari_server_up').every((s) => s.value === 1)).toBe(true);
  });
});
