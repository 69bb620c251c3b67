import { ApiCall, AriSimControl } from '@gw/stack-client';
import { apps, E2e, env, eventually, TestProject, uniqueNumber } from '../support/e2e';

/**
 * Voice under what a real Asterisk does and the plain simulator does not (the stack's simulator runs
 * in realistic mode): events before the originate response, busy shown only by events, the cause
 * of a gateway-ended call, a channel that vanishes silently (the watchdog), and a pause resumed
 * after a crash waiting only what is left of it.
 */
describe('voice at real-Asterisk conditions', () => {
  const t = new E2e();
  const sim = new AriSimControl(env('ARI_URL'));
  let p: TestProject;

  beforeAll(async () => {
    await t.start();
    p = await t.project('voice-realistic');
    expect((await sim.mode()).realistic).toBe(true);
  });
  afterAll(async () => {
    await apps('up');
    await t.stop();
  });

  const events = (c: ApiCall) => c.timeline.map((e) => e.event);
  const transitions = (c: ApiCall) => c.timeline.filter((e) => e.kind === 'transition').map((e) => e.to_status);
  const place = (to: string, flow: unknown, extra: Record<string, unknown> = {}) => p.gw.placeCall({ to, from: p.number, flow, ...extra });
  const hangupFlow = { version: 1, steps: [{ verb: 'say', text: 'goodbye' }, { verb: 'hangup' }] };

  it('runs the call when StasisStart and DTMF arrive before the originate response', async () => {
    const to = uniqueNumber();
    await sim.setRules([{ number: to, answerAfterMs: 0, originateResponseDelayMs: 800, digits: [{ digits: '1', atMs: 50 }] }]);
    const call = await p.gw.waitForCall((await place(to, hangupFlow)).id);
    expect(call).toMatchObject({ status: 'completed', hangup_cause: 'NORMAL_CLEARING' });
    expect(transitions(call)).toEqual(['queued', 'initiated', 'ringing', 'in-progress', 'completed']);
    // The answer was handled while the originate response was still held back (800 ms).
    const at = (status: string) => Date.parse(call.timeline.find((e) => e.kind === 'transition' && e.to_status === status)!.occurred_at);
    expect(at('in-progress') - at('initiated')).toBeLessThan(800);
    expect(call.timeline.some((e) => e.kind === 'dtmf')).toBe(true);
    expect(events(call)).not.toContain('ari.originate_failed');
  });

  it('ends a busy call that Asterisk showed only by Dial and ChannelDestroyed(17)', async () => {
    const to = uniqueNumber();
    await sim.setRules([{ number: to, outcome: 'busy', answerAfterMs: 0, originateResponseDelayMs: 500 }]);
    const call = await p.gw.waitForCall((await place(to, hangupFlow)).id);
    expect(call).toMatchObject({ status: 'busy', hangup_cause: 'USER_BUSY' });
    expect(events(call)).not.toContain('ari.originate_failed');
  });

  it('records the cause the gateway asked for, whatever the PBX reports (32 for an app hangup)', async () => {
    const to = uniqueNumber();
    await sim.setRules([{ number: to }]);
    const call = await p.gw.waitForCall((await place(to, hangupFlow)).id);
    expect(call).toMatchObject({ status: 'completed', hangup_cause: 'NORMAL_CLEARING' });
    const record = await sim.callRecord(call.id);
    expect(record?.cause).toBe(32);
  });

  it('ends an inbound call the gateway hung up with the cause it asked for', async () => {
    const own = uniqueNumber();
    const flowId = await p.gw.createFlow('realistic-inbound', hangupFlow);
    await t.api.addNumber(env('OPERATOR_SECRET'), p.id, own, flowId);
    const caller = uniqueNumber();
    await sim.inbound(caller, own, 'gateway');
    const found = await eventually(async () => {
      const page = (await p.gw.getRaw(`/v1/calls?direction=inbound&from=${encodeURIComponent(caller)}`)).body as { data: ApiCall[] };
      return page.data[0];
    });
    const call = await p.gw.waitForCall(found.id);
    expect(call).toMatchObject({ status: 'completed', direction: 'inbound', hangup_cause: 'NORMAL_CLEARING' });
  });

  it('the watchdog ends a call whose channel vanished without a trace, saying why', async () => {
    const to = uniqueNumber();
    await sim.setRules([{ number: to }]);
    // Ring timeout 5 s + time limit 2 s + the e2e margin (CALL_WATCHDOG_MARGIN_MS=5000).
    const placed = await place(to, { version: 1, steps: [{ verb: 'pause', length: 60 }] }, { timeout: 5, time_limit: 2 });
    await p.gw.waitForCall(placed.id, (c) => c.status === 'in-progress');
    await sim.vanish(placed.id);
    const call = await p.gw.waitForCall(placed.id, undefined, 40000);
    expect(call).toMatchObject({ status: 'completed', hangup_cause: 'RECOVERY_ON_TIMER_EXPIRE' });
    expect(events(call)).toContain('watchdog.expired');
    expect(call.timeline.find((e) => e.event === 'watchdog.expired')?.detail).toMatchObject({
      reason: expect.stringMatching(/ring timeout/),
    });
  });

  it('a pause resumed after a crash waits only what is left of it', async () => {
    const to = uniqueNumber();
    await sim.setRules([{ number: to }]);
    const placed = await place(to, { version: 1, steps: [{ verb: 'pause', length: 15 }, { verb: 'hangup' }] });
    await p.gw.waitForCall(placed.id, (c) => c.timeline.some((e) => e.kind === 'verb_started' && e.event === 'pause'));
    await apps('kill', 'call-orchestrator');
    await new Promise((r) => setTimeout(r, 2000));
    await apps('up');
    const call = await p.gw.waitForCall(placed.id, undefined, 60000);
    expect(call).toMatchObject({ status: 'completed', hangup_cause: 'NORMAL_CLEARING' });
    const pauses = call.timeline.filter((e) => e.event === 'pause');
    const firstStart = Date.parse(pauses[0].occurred_at);
    const resumedStart = pauses.filter((e) => e.kind === 'verb_started')[1];
    const finishedAt = Date.parse(pauses.find((e) => e.kind === 'verb_finished')!.occurred_at);
    expect(resumedStart.detail).toMatchObject({ resumed_from: new Date(firstStart).toISOString() });
    // 15 s from the first start, not 15 s from the resume (which came several seconds later).
    expect(finishedAt - firstStart).toBeGreaterThan(14000);
    expect(finishedAt - firstStart).toBeLessThan(15000 + 3000);
    expect(finishedAt - Date.parse(resumedStart.occurred_at)).toBeLessThan(15000 - 1000);
  });
});
