import { request } from 'undici';
import { ApiCall, AriSimControl } from '@gw/stack-client';
import { apps, E2e, env, eventually, stack, TestProject, uniqueNumber } from '../support/e2e';

/**
 * Two orchestrator replicas (orchestrator-a, orchestrator-b: `scripts/apps.sh fleet up`) over two
 * ARI simulators (the stack's arisim and arisim2), both in realistic mode: calls spread over both
 * servers, inbound calls on either, a replica killed mid-calls (the other finishes its calls), a
 * server killed mid-calls (its calls end with the reason, new calls go to the other).
 */
describe('many orchestrator replicas over many ARI servers', () => {
  const t = new E2e();
  const sims: Record<string, AriSimControl> = { sim1: new AriSimControl(env('ARI_URL')), sim2: new AriSimControl(env('ARI_URL_2')) };
  let p: TestProject;

  beforeAll(async () => {
    await t.start();
    p = await t.project('voice-fleet');
    await apps('fleet', 'up');
  });
  afterAll(async () => {
    try {
      await apps('fleet', 'down');
      await stack('up', 'arisim2');
      await apps('up');
    } finally {
      await t.stop();
    }
  });

  const events = (c: ApiCall) => c.timeline.map((e) => e.event);
  const ariStatus = async (baseUrl: string, path: string) => {
    const auth = Buffer.from(`${env('ARI_USERNAME')}:${env('ARI_PASSWORD')}`).toString('base64');
    const res = await request(`${baseUrl}/ari${path}`, { headers: { authorization: `Basic ${auth}` }, signal: AbortSignal.timeout(5000) });
    await res.body.dump();
    return res.statusCode;
  };
  const pauseFlow = (s: number) => ({ version: 1, steps: [{ verb: 'pause', length: s }, { verb: 'hangup' }] });
  const placeMany = async (n: number, flow: unknown, on = Object.values(sims)) => {
    const numbers = Array.from({ length: n }, () => uniqueNumber());
    await Promise.all(on.map((s) => s.setRules(numbers.map((number) => ({ number, answerAfterMs: 100 })))));
    return Promise.all(numbers.map((to) => p.gw.placeCall({ to, from: p.number, flow })));
  };
  const live = async (ids: string[]) => Promise.all(ids.map((id) => p.gw.waitForCall(id, (c) => c.status === 'in-progress', 60000)));
  const ended = async (ids: string[]) => Promise.all(ids.map((id) => p.gw.waitForCall(id, undefined, 90000)));
  const nonTerminal = () => t.count(`SELECT count(*) AS n FROM calls WHERE project_id = $1 AND ended_at IS NULL`, [p.id]);

  it('spreads calls over both servers and both replicas, and says which drive each', async () => {
    const placed = await placeMany(12, pauseFlow(3));
    const running = await live(placed.map((c) => c.id));
    expect(new Set(running.map((c) => c.ari_server))).toEqual(new Set(['sim1', 'sim2']));
    expect(new Set(running.map((c) => c.replica))).toEqual(new Set(['orchestrator-a', 'orchestrator-b']));
    const calls = await ended(placed.map((c) => c.id));
    expect(calls.map((c) => c.status)).toEqual(placed.map(() => 'completed'));
    expect(calls.map((c) => c.hangup_cause)).toEqual(placed.map(() => 'NORMAL_CLEARING'));
  });

  it('takes inbound calls on either server', async () => {
    const own = uniqueNumber();
    const flowId = await p.gw.createFlow('fleet-inbound', {
      version: 1,
      steps: [{ verb: 'say', text: 'Hello caller' }, { verb: 'hangup' }],
    });
    await t.api.addNumber(env('OPERATOR_SECRET'), p.id, own, flowId);
    for (const [name, sim] of Object.entries(sims)) {
      // The replica holding the server's inbound role registers the inbound application once connected.
      await eventually(
        async () => ((await ariStatus(sim.baseUrl, '/applications/gateway')) === 200 ? true : undefined),
        30000,
        `the inbound application on ${name}`,
      );
      const caller = uniqueNumber();
      await sim.inbound(caller, own, 'gateway');
      const call = await eventually(async () => {
        const page = (await p.gw.getRaw(`/v1/calls?direction=inbound&from=${encodeURIComponent(caller)}`)).body as { data: ApiCall[] };
        return page.data[0];
      });
      const done = await p.gw.waitForCall(call.id);
      expect(done).toMatchObject({ status: 'completed', direction: 'inbound', ari_server: name, hangup_cause: 'NORMAL_CLEARING' });
    }
  });

  it('a replica killed mid-calls: the other takes its calls over and finishes them, and their timelines say so', async () => {
    const placed = await placeMany(10, pauseFlow(12));
    const running = await live(placed.map((c) => c.id));
    const ofA = running.filter((c) => c.replica === 'orchestrator-a').map((c) => c.id);
    expect(ofA.length).toBeGreaterThan(0);
    await apps('kill', 'orchestrator-a');
    const calls = await ended(placed.map((c) => c.id));
    expect(calls.map((c) => c.status)).toEqual(placed.map(() => 'completed'));
    for (const c of calls.filter((x) => ofA.includes(x.id))) {
      expect(events(c)).toContain('reconcile.taken_over');
      expect(c.timeline.find((e) => e.event === 'reconcile.taken_over')?.detail).toMatchObject({
        from_replica: 'orchestrator-a',
        to_replica: 'orchestrator-b',
      });
    }
    expect(await nonTerminal()).toBe(0);
    await apps('fleet', 'up');
  });

  it('a server killed mid-calls: its calls end with the reason, new calls go to the other', async () => {
    const placed = await placeMany(8, pauseFlow(30));
    const running = await live(placed.map((c) => c.id));
    const onSim2 = running.filter((c) => c.ari_server === 'sim2').map((c) => c.id);
    expect(onSim2.length).toBeGreaterThan(0);
    await stack('stop', 'arisim2');
    const lost = await ended(onSim2);
    for (const c of lost) {
      expect(c).toMatchObject({ status: 'completed', hangup_cause: 'ARI_SERVER_LOST' });
      expect(events(c)).toContain('ari.server_lost');
    }
    const after = await placeMany(4, pauseFlow(1), [sims.sim1]);
    const afterCalls = await ended(after.map((c) => c.id));
    expect(afterCalls.map((c) => [c.status, c.ari_server])).toEqual(after.map(() => ['completed', 'sim1']));
    for (const id of placed.map((c) => c.id).filter((id) => !onSim2.includes(id))) await p.gw.postRaw(`/v1/calls/${id}/hangup`, {});
    await ended(placed.map((c) => c.id));
    expect(await nonTerminal()).toBe(0);
  });
});
