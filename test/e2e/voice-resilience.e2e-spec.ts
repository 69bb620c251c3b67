import { request } from 'undici';
import { ApiCall, AriSimControl } from '@gw/stack-client';
import { apps, E2e, env, eventually, TestProject, uniqueNumber } from '../support/e2e';

/** The orchestrator crashing mid-call, and its ARI WebSocket dropping, with real processes. */
describe('call orchestrator recovery', () => {
  const t = new E2e();
  const sim = new AriSimControl(env('ARI_URL'));
  let p: TestProject;

  beforeAll(async () => {
    await t.start();
    p = await t.project('voice-resilience');
  });
  afterAll(async () => {
    await apps('up');
    await t.stop();
  });

  const events = (c: ApiCall) => c.timeline.map((e) => e.event);

  it('killed mid-call and restarted: the call is resumed, ends normally, and no channel is left', async () => {
    const to = uniqueNumber();
    await sim.setRules([{ number: to }]);
    const flow = { version: 1, steps: [{ verb: 'pause', length: 3 }, { verb: 'say', text: 'after the restart' }, { verb: 'hangup' }] };
    const placed = await p.gw.placeCall({ to, from: p.number, flow });
    await p.gw.waitForCall(placed.id, (c) => c.timeline.some((e) => e.kind === 'verb_started' && e.event === 'pause'));
    await apps('kill', 'call-orchestrator');
    await new Promise((r) => setTimeout(r, 1000));
    await apps('up');
    const call = await p.gw.waitForCall(placed.id, undefined, 60000);
    expect(call).toMatchObject({ status: 'completed', hangup_cause: 'NORMAL_CLEARING' });
    expect(events(call)).toContain('reconcile.resumed');
    const resumedAt = events(call).indexOf('reconcile.resumed');
    expect(
      call.timeline
        .slice(resumedAt)
        .filter((e) => e.kind === 'verb_started')
        .map((e) => e.event),
    ).toEqual(['pause', 'say', 'hangup']);
    const live = await sim.channels();
    expect(live.filter((ch) => ch.id === call.id)).toEqual([]);
  });

  it('places each call queued while it was down once, though its Kafka command and the boot reconciliation both reach it', async () => {
    await apps('kill', 'call-orchestrator');
    const numbers = Array.from({ length: 8 }, () => uniqueNumber());
    await sim.setRules(numbers.map((number) => ({ number })));
    const flow = { version: 1, steps: [{ verb: 'say', text: 'placed once' }, { verb: 'hangup' }] };
    const placed = await Promise.all(numbers.map((to) => p.gw.placeCall({ to, from: p.number, flow })));
    await apps('up');
    const calls = await Promise.all(placed.map((c) => p.gw.waitForCall(c.id, undefined, 60000)));
    expect(calls.map((c) => c.status)).toEqual(numbers.map(() => 'completed'));
    for (const c of calls) expect(events(c)).not.toContain('ari.originate_failed');
    for (const to of numbers) expect(await sim.calls({ number: to })).toHaveLength(1);
  });

  it('ends a call whose channel vanished while the orchestrator was down, saying why', async () => {
    const to = uniqueNumber();
    await sim.setRules([{ number: to }]);
    const placed = await p.gw.placeCall({
      to,
      from: p.number,
      flow: { version: 1, steps: [{ verb: 'pause', length: 20 }, { verb: 'hangup' }] },
    });
    await p.gw.waitForCall(placed.id, (c) => c.status === 'in-progress');
    await apps('kill', 'call-orchestrator');
    await sim.hangup(placed.id);
    await apps('up');
    const call = await p.gw.waitForCall(placed.id, undefined, 60000);
    expect(call.status).toBe('completed');
    expect(events(call)).toContain('reconcile.channel_gone');
  });

  it('survives the ARI WebSocket dropping and coming back', async () => {
    const to = uniqueNumber();
    await sim.setRules([{ number: to }]);
    const flow = { version: 1, steps: [{ verb: 'say', text: 'one two three', loop: 3 }, { verb: 'pause', length: 1 }, { verb: 'hangup' }] };
    const placed = await p.gw.placeCall({ to, from: p.number, flow });
    await p.gw.waitForCall(placed.id, (c) => c.status === 'in-progress');
    await sim.dropWebSockets(1500);
    const call = await p.gw.waitForCall(placed.id, undefined, 30000);
    expect(call.status).toBe('completed');
    expect(call.timeline.filter((e) => e.kind === 'verb_started').map((e) => e.event)).toEqual(['say', 'pause', 'hangup']);
    const ready = await eventually(async () => {
      const res = await request(`http://127.0.0.1:${env('ORCHESTRATOR_PORT')}/health/ready`);
      await res.body.dump();
      return res.statusCode === 200 ? true : undefined;
    });
    expect(ready).toBe(true);
  });
});
