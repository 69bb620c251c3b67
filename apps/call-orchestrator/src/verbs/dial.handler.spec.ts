import type { DialCommand, StepResult } from '@gw/flow';
import { dialHandler } from './dial.handler';
import { channelDestroyed, FakeCallControl, fakeDeps, FakeSession, handlerFixture, settle, stasisStart, stepOf } from './test-support';

const dial = (over: Partial<DialCommand> = {}): DialCommand => ({
  kind: 'dial',
  step: stepOf('dial'),
  target: '+15550003333',
  callerId: null,
  timeoutMs: 20500,
  timeLimitMs: null,
  ...over,
});

describe('dial handler', () => {
  let { s, control, f } = handlerFixture();
  beforeEach(() => ({ s, control, f } = handlerFixture()));

  it('originates a leg, bridges it once answered, and completes when the leg hangs up', async () => {
    control.after.originate = (req) => queueMicrotask(() => s.emit(stasisStart(req.channelId)));
    const result = dialHandler.execute(s, dial(), f.deps);
    await settle();
    f.clock.ms += 42_400;
    s.emit(channelDestroyed('call_1.leg1', 16));

    await expect(result).resolves.toEqual({ kind: 'dialed', status: 'completed', durationS: 42 });
    expect(control.calls).toEqual([
      {
        method: 'originate',
        args: [
          {
            channelId: 'call_1.leg1',
            endpoint: 'PJSIP/+15550003333@trunk',
            callerId: '+15550002222',
            timeoutS: 21,
            appArgs: 'dial,call_1',
          },
        ],
      },
      { method: 'createBridge', args: ['call_1.br1'] },
      { method: 'addToBridge', args: ['call_1.br1', ['call_1', 'call_1.leg1']] },
      { method: 'hangup', args: ['call_1.leg1', 'normal'] },
      { method: 'destroyBridge', args: ['call_1.br1'] },
    ]);
    expect(s.timeline).toEqual([{ kind: 'note', event: 'dial.bridged', detail: { leg: 'call_1.leg1', bridge: 'call_1.br1' } }]);
    expect(s.scheduledVerbs).toEqual(['dial']);
    expect(s.results).toBe(1);
  });

  it('numbers legs per call: a second dial of the call is leg2, another call starts at leg1', async () => {
    control.after.originate = (req) => queueMicrotask(() => s.emit(channelDestroyed(req.channelId, 17)));
    await dialHandler.execute(s, dial(), f.deps);
    await dialHandler.execute(s, dial(), f.deps);
    const other = new FakeSession();
    const otherControl = new FakeCallControl();
    otherControl.after.originate = (req) => queueMicrotask(() => other.emit(channelDestroyed(req.channelId, 17)));
    await dialHandler.execute(other, dial(), fakeDeps(otherControl).deps);

    expect(control.argsOf('originate').map(([req]) => req.channelId)).toEqual(['call_1.leg1', 'call_1.leg2']);
    expect(otherControl.argsOf('originate').map(([req]) => req.channelId)).toEqual(['call_1.leg1']);
  });

  it('presents the caller id of the command when it has one', async () => {
    control.after.originate = (req) => queueMicrotask(() => s.emit(channelDestroyed(req.channelId, 17)));
    await dialHandler.execute(s, dial({ callerId: '+15550009999' }), f.deps);
    expect(control.argsOf('originate')[0][0].callerId).toBe('+15550009999');
  });

  it.each([
    [17, 'busy'],
    [19, 'no-answer'],
    [18, 'no-answer'],
    [21, 'failed'],
  ])('maps a leg destroyed before answer with cause %i to %s, without bridging', async (cause, status) => {
    control.after.originate = (req) => queueMicrotask(() => s.emit(channelDestroyed(req.channelId, cause)));
    await expect(dialHandler.execute(s, dial(), f.deps)).resolves.toEqual({ kind: 'dialed', status });
    expect(control.methods).toEqual(['originate']);
  });

  it('gives no-answer when the ring time passes (Asterisk ends the originate with cause 19)', async () => {
    jest.useFakeTimers();
    try {
      // As Asterisk does: the unanswered leg is destroyed once the originate timeout (s) has passed.
      control.after.originate = (req) => void setTimeout(() => s.emit(channelDestroyed(req.channelId, 19)), req.timeoutS * 1000);
      let result: StepResult | undefined;
      void dialHandler.execute(s, dial({ timeoutMs: 30000 }), f.deps).then((r) => (result = r));
      await jest.advanceTimersByTimeAsync(29_999);
      expect(result).toBeUndefined();
      await jest.advanceTimersByTimeAsync(1);
      expect(result).toEqual({ kind: 'dialed', status: 'no-answer' });
    } finally {
      jest.useRealTimers();
    }
  });

  it('reports failed, with a timeline note, when ARI refuses the originate', async () => {
    control.failures.originate = new Error('Allocation failed');
    await expect(dialHandler.execute(s, dial(), f.deps)).resolves.toEqual({ kind: 'dialed', status: 'failed' });
    expect(s.timeline).toEqual([{ kind: 'note', event: 'dial.originate_failed', detail: { reason: 'Allocation failed' } }]);
  });

  describe("the project's dial allowlist, as it is when the dial starts", () => {
    it('fails a target outside it without originating, giving the reason in the timeline', async () => {
      f.dial.allowlist = { e164_prefixes: ['+1'], sip_domains: [], pjsip_endpoints: [] };
      await expect(dialHandler.execute(s, dial({ target: '+442071838750' }), f.deps)).resolves.toEqual({
        kind: 'dialed',
        status: 'failed',
      });
      expect(control.calls).toEqual([]);
      expect(s.timeline).toEqual([
        {
          kind: 'note',
          event: 'dial.refused',
          detail: { target: '+442071838750', reason: "+442071838750 matches no E.164 prefix of the project's dial allowlist" },
        },
      ]);
    });

    it('fails a SIP URI while no allowlist is set (the default)', async () => {
      await expect(dialHandler.execute(s, dial({ target: 'sip:alice@10.0.0.5' }), f.deps)).resolves.toEqual({
        kind: 'dialed',
        status: 'failed',
      });
      expect(control.calls).toEqual([]);
      expect(s.timeline[0]).toMatchObject({
        event: 'dial.refused',
        detail: { reason: expect.stringMatching(/^SIP URIs are refused/) as unknown },
      });
    });

    it('dials a target inside it', async () => {
      f.dial.allowlist = { e164_prefixes: [], sip_domains: ['pbx.example.com'], pjsip_endpoints: [] };
      control.after.originate = (req) => queueMicrotask(() => s.emit(channelDestroyed(req.channelId, 17)));
      await expect(dialHandler.execute(s, dial({ target: 'sip:alice@pbx.example.com' }), f.deps)).resolves.toEqual({
        kind: 'dialed',
        status: 'busy',
      });
      expect(control.argsOf('originate')[0][0].endpoint).toBe('PJSIP/sip:alice@pbx.example.com@trunk');
    });
  });

  it('hangs the ringing leg up when the caller hangs up first', async () => {
    const result = dialHandler.execute(s, dial(), f.deps);
    await settle();
    s.hangUp();
    await expect(result).resolves.toEqual({ kind: 'hungup' });
    expect(control.methods).toEqual(['originate', 'hangup']);
    expect(control.argsOf('hangup')).toEqual([['call_1.leg1', 'normal']]);
  });

  it('ends the bridged call at timeLimitMs and completes', async () => {
    jest.useFakeTimers();
    try {
      control.after.originate = (req) => queueMicrotask(() => s.emit(stasisStart(req.channelId)));
      let result: StepResult | undefined;
      void dialHandler.execute(s, dial({ timeLimitMs: 60000 }), f.deps).then((r) => (result = r));
      await jest.advanceTimersByTimeAsync(0);
      f.clock.ms += 60000;
      await jest.advanceTimersByTimeAsync(60000);
      expect(result).toEqual({ kind: 'dialed', status: 'completed', durationS: 60 });
      expect(control.methods.slice(-2)).toEqual(['hangup', 'destroyBridge']);
      // A time limit is not an ARI event: no result time is marked.
      expect(s.results).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });
});
