import { connect } from 'node:net';
import { ApiConnector, CarrierAdmin, final, TracedMessage } from '../support/carriers';
import { E2e, env, eventually, stack, TestProject, uniqueNumber } from '../support/e2e';

/** jasmin-local's half-open wait while its breaker is under test (ms); restored in afterAll. */
const HALF_OPEN_MS = 1000;
/** Messages sent while Jasmin is down. */
const BATCH = 20;

/** A fresh number of the +1555 test range whose fifth digit is `digit` (for prefix routes). */
function numberWith(digit: string): string {
  return `+1555${digit}${uniqueNumber().slice(-6)}`;
}

/** Resolves true when something accepts TCP connections on 127.0.0.1:`port`, false on a refusal. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.setTimeout(1000, () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Routing between carriers with the local stack's three connectors, on project routes only (the
 * global route is never touched): failover from a stopped Jasmin to Kannel through the circuit
 * breaker and back after its half-open probe, least cost among routes of the same prefix, the
 * longest prefix first, and an operator forcing a breaker open. Jasmin, every breaker override,
 * patched connector field and route are restored in afterAll.
 */
describe('carrier failover, least-cost routing and operator breakers', () => {
  const t = new E2e();
  const admin = new CarrierAdmin(t);
  const ids: Record<'jasmin' | 'kannel' | 'smpp', string> = { jasmin: '', kannel: '', smpp: '' };
  const systemIds = {
    jasmin: env('SMSC_SYSTEM_ID'),
    kannel: env('SMSC_KANNEL_SYSTEM_ID'),
    smpp: env('SMSC_DIRECT_SYSTEM_ID'),
  };

  beforeAll(async () => {
    await t.start();
    ids.jasmin = await admin.connectorId('jasmin-local');
    ids.kannel = await admin.connectorId('kannel-local');
    ids.smpp = await admin.connectorId('smpp-local');
  });
  afterAll(async () => {
    try {
      await stack('start', 'jasmin');
      await stack('start', 'kannel');
      await admin.restore();
    } finally {
      await t.stop();
    }
  });

  /** Sends one MT per destination and waits until each is final. */
  async function sendAll(p: TestProject, tos: string[], body = 'routed'): Promise<TracedMessage[]> {
    const sent = await Promise.all(tos.map((to) => p.gw.send({ to, from: 'ACME', body })));
    return Promise.all(sent.map((m) => final(p, m.id)));
  }

  /** The message was delivered after one submitted attempt, on connector `via`, and the SMSC saw it once, from that carrier's bind. */
  async function carriedBy(m: TracedMessage, via: keyof typeof ids): Promise<void> {
    expect([m.to, m.status]).toEqual([m.to, 'delivered']);
    const submitted = m.submissions.filter((s) => s.outcome === 'submitted');
    expect([m.to, submitted.map((s) => s.connector_id)]).toEqual([m.to, [ids[via]]]);
    const seen = await t.smsc.messages(m.to);
    expect([m.to, seen.map((s) => s.systemId)]).toEqual([m.to, [systemIds[via]]]);
  }

  /** Waits until every replica reports connector `id`'s breaker closed with `n` consecutive failures counted. */
  const countedFailures = (id: string, n: number) =>
    eventually(
      async () => {
        const replicas = (await admin.connector(id)).breaker?.replicas ?? [];
        return replicas.length > 0 && replicas.every((r) => r.state === 'closed' && r.failures === n) ? true : undefined;
      },
      5000,
      `breaker of ${id} closed with ${n} failures counted`,
    );

  it('fails over from a stopped Jasmin to Kannel, opens its breaker, and returns to Jasmin after the half-open probe', async () => {
    const p = await t.project('failover');
    await admin.patch(ids.jasmin, { breaker_half_open_ms: HALF_OPEN_MS });
    await admin.route(p, '', [ids.jasmin, ids.kannel]);
    const [before] = await sendAll(p, [numberWith('0')]);
    await carriedBy(before, 'jasmin');

    await stack('stop', 'jasmin');
    expect(await listening(Number(env('JASMIN_HTTP_PORT')))).toBe(false);
    const stoppedAt = Date.now();
    const tos = Array.from({ length: BATCH }, () => numberWith('1'));
    const batch = await sendAll(p, tos, 'Jasmin is down');
    for (const m of batch) {
      await carriedBy(m, 'kannel');
      // Jasmin refused the connection (not_submitted), or its open breaker refused before any attempt.
      expect(m.submissions.slice(0, -1).map((s) => [s.connector_id, s.outcome])).toEqual(
        m.submissions.slice(0, -1).map(() => [ids.jasmin, 'not_submitted']),
      );
    }
    const firstOnKannel = Math.min(...batch.map((m) => Date.parse(m.submissions.find((s) => s.connector_id === ids.kannel)!.created_at)));
    expect(firstOnKannel - stoppedAt).toBeLessThan(5000);
    // Every destination reached the SMSC exactly once, over Kannel's bind, none over Jasmin's.
    const all = await t.smsc.messages();
    const seen = all.filter((s) => tos.includes(`+${s.destination.replace(/^\+/, '')}`));
    expect(seen.map((s) => s.systemId)).toEqual(tos.map(() => systemIds.kannel));
    expect(new Set(seen.map((s) => s.destination.replace(/^\+/, ''))).size).toBe(BATCH);
    const open: ApiConnector = await admin.untilReplicas(ids.jasmin, (s) => s === 'open', 'jasmin-local breaker open');
    expect(open.breaker!.replicas!.every((r) => r.failures >= 5)).toBe(true);
    // The sms-connector's metrics say the same.
    const metrics = await (await fetch(`http://127.0.0.1:${env('SMS_CONNECTOR_PORT')}/metrics`)).text();
    expect(metrics).toContain('gw_connector_breaker_state{connector="jasmin-local",state="open"} 1');
    expect(metrics).toMatch(/gw_connector_submits_total\{connector="jasmin-local",outcome="not_submitted"\} [1-9]/);

    await stack('start', 'jasmin');
    const backAt = Date.now();
    // Once HALF_OPEN_MS have passed since the breaker (re)opened, the next message is its half-open probe, and Jasmin takes it.
    const reopened = Math.max(...open.breaker!.replicas!.map((r) => Date.parse(r.since)));
    await new Promise((r) => setTimeout(r, Math.max(0, reopened + HALF_OPEN_MS + 100 - Date.now())));
    const [probe] = await sendAll(p, [numberWith('2')], 'Jasmin is back');
    await carriedBy(probe, 'jasmin');
    expect(probe.submissions.map((s) => [s.connector_id, s.outcome])).toEqual([[ids.jasmin, 'submitted']]);
    expect(Date.parse(probe.submissions[0].created_at) - backAt).toBeLessThan(5000);
    await admin.untilReplicas(ids.jasmin, (s) => s === 'closed', 'jasmin-local breaker closed');
    for (const m of await sendAll(p, [numberWith('3'), numberWith('3'), numberWith('3')], 'Jasmin again')) await carriedBy(m, 'jasmin');
  });

  it('takes the cheapest of routes with the same prefix, and a longer prefix before a shorter one', async () => {
    const p = await t.project('least-cost');
    await admin.route(p, '1555', [ids.jasmin], 0.02);
    await admin.route(p, '1555', [ids.kannel], 0.01);
    await admin.route(p, '15559', [ids.smpp], 0.05);
    const [cheapest, longest] = await sendAll(p, [numberWith('4'), numberWith('9')]);
    await carriedBy(cheapest, 'kannel');
    await carriedBy(longest, 'smpp');
    expect(cheapest.submissions).toHaveLength(1);
    expect(longest.submissions).toHaveLength(1);
  });

  it("moves kannel-local's traffic to the next connector while an operator forces its breaker open, and back on auto", async () => {
    const p = await t.project('forced-breaker');
    await admin.route(p, '', [ids.kannel, ids.smpp]);
    await carriedBy((await sendAll(p, [numberWith('5')]))[0], 'kannel');

    const forced = await admin.breaker(ids.kannel, 'open');
    expect(forced.breaker?.override).toBe('open');
    const [moved] = await sendAll(p, [numberWith('6')]);
    await carriedBy(moved, 'smpp');
    // The forced-open breaker refuses before any attempt is made: no row for kannel-local.
    expect(moved.submissions.map((s) => [s.connector_id, s.outcome])).toEqual([[ids.smpp, 'submitted']]);
    // New breaker settings start a fresh breaker, which stays forced open.
    await admin.patch(ids.kannel, { breaker_half_open_ms: HALF_OPEN_MS });
    await admin.untilReplicas(ids.kannel, (s) => s === 'forced-open', 'kannel-local breaker still forced open');
    const [still] = await sendAll(p, [numberWith('6')]);
    await carriedBy(still, 'smpp');
    expect(still.submissions.map((s) => s.connector_id)).toEqual([ids.smpp]);

    const auto = await admin.breaker(ids.kannel, 'auto');
    expect(auto.breaker?.override).toBeNull();
    await carriedBy((await sendAll(p, [numberWith('7')]))[0], 'kannel');
  });

  it('fails over from a stopped Kannel to the direct SMPP bind, its breaker counting the failures below the threshold', async () => {
    const p = await t.project('kannel-down');
    await admin.route(p, '', [ids.kannel, ids.smpp]);
    await stack('stop', 'kannel');
    expect(await listening(Number(env('KANNEL_SENDSMS_PORT')))).toBe(false);
    for (const m of await sendAll(p, [numberWith('8'), numberWith('8'), numberWith('8')], 'Kannel is down')) {
      await carriedBy(m, 'smpp');
      expect(m.submissions.map((s) => [s.connector_id, s.outcome])).toEqual([
        [ids.kannel, 'not_submitted'],
        [ids.smpp, 'submitted'],
      ]);
      expect(m.submissions[0].error).toMatch(/kannel unreachable/);
    }
    await countedFailures(ids.kannel, 3);

    await stack('start', 'kannel');
    await carriedBy((await sendAll(p, [numberWith('8')], 'Kannel is back'))[0], 'kannel');
    await countedFailures(ids.kannel, 0);
  });
});
