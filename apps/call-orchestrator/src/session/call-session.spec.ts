import type { CallEntity } from '@gw/database';
import type { CallControl } from '../ari/call-control';
import type { CallStore } from '../call-store';
import { CallSession, SessionDeps } from './call-session';
import type { VerbRegistry } from '../verbs/registry';

/** A queued outbound call whose channel id is its own id, as the api creates it; its flow hangs up at once. */
const queuedCall = {
  id: 'call_1',
  projectId: 'prj_1',
  direction: 'outbound',
  channelId: null,
  status: 'queued',
  to: '+15550001111',
  from: '+15550002222',
  timeoutS: 30,
  timeLimitS: 600,
  createdAt: new Date(),
  flowDocument: { version: 1, steps: [{ verb: 'hangup' }] },
} as unknown as CallEntity;

type Transition = { to: string; event: string; cause: string | null | undefined };

function harness(call: Partial<CallEntity> = {}, opts: { originate?: 'hold' | 'reject'; watchdogMarginMs?: number } = {}) {
  let releaseOriginate: () => void = () => undefined;
  const channels = new Set<string>();
  const notes: string[] = [];
  const transitions: Transition[] = [];
  let ended = false;
  const control = {
    server: 'pbx1',
    originate: jest.fn(({ channelId }: { channelId: string }) =>
      opts.originate === 'reject'
        ? Promise.reject(new Error('ARI channels.originate: no answer within 10000 ms'))
        : new Promise<void>((resolve) => {
            releaseOriginate = () => {
              channels.add(channelId);
              resolve();
            };
          }),
    ),
    getChannel: jest.fn(async (id: string) => (channels.has(id) ? { id } : null)),
    hangup: jest.fn(async (_channelId: string, _reason?: string) => undefined),
  };
  const store = {
    setChannel: jest.fn(async () => undefined),
    transition: jest.fn(async (_id: string, to: string, event: string, cause?: string | null) => {
      transitions.push({ to, event, cause });
      return true;
    }),
    step: jest.fn(
      async (_id: string, _state: unknown, entries: Array<{ event: string }>) => void notes.push(...entries.map((e) => e.event)),
    ),
  };
  const verbs = {
    execute: jest.fn(async (s: { channelId: string }, c: { kind: string; reason?: string }) => {
      if (c.kind !== 'hangup') return { kind: 'done' };
      await control.hangup(s.channelId, c.reason);
      return { kind: 'hungup' };
    }),
  };
  const deps: SessionDeps = {
    control: control as unknown as CallControl,
    store: store as unknown as CallStore,
    verbs: verbs as unknown as VerbRegistry,
    trunkEndpoint: (n) => `PJSIP/${n}@trunk`,
    log: () => undefined,
    watchdogMarginMs: opts.watchdogMarginMs ?? 60000,
    onEnded: () => {
      ended = true;
    },
  };
  const originated = () => releaseOriginate();
  const session = new CallSession({ ...queuedCall, ...call } as CallEntity, deps);
  return { session, control, channels, notes, transitions, originated, ended: () => ended };
}

const channel = (id: string, state = 'Up') => ({ id, state });

const settle = () => new Promise((r) => setImmediate(r));

describe('CallSession.recheck (reconciliation of a call in memory)', () => {
  it('leaves an outbound call alone while its originate is in flight, when Asterisk has no channel yet', async () => {
    const h = harness();
    void h.session.runOutbound();
    await settle();
    expect(h.control.originate).toHaveBeenCalledTimes(1);

    await h.session.recheck();
    expect(h.session.isHungUp).toBe(false);
    expect(h.control.getChannel).not.toHaveBeenCalled();
    expect(h.notes).not.toContain('reconcile.channel_gone');

    h.originated();
    await settle();
    await h.session.recheck();
    expect(h.control.getChannel).toHaveBeenCalledWith('call_1');
    expect(h.session.isHungUp).toBe(false);
  });

  it('ends the call once originate has returned and the channel is then gone', async () => {
    const h = harness();
    void h.session.runOutbound();
    await settle();
    h.originated();
    await settle();
    h.channels.clear();
    await h.session.recheck();
    expect(h.notes).toContain('reconcile.channel_gone');
    expect(h.session.isHungUp).toBe(true);
  });
});

describe('CallSession: any event order Asterisk produces for one channel', () => {
  it('moves on when StasisStart arrives before the originate response, and records the cause it asked for', async () => {
    const h = harness();
    const run = h.session.runOutbound();
    await settle();
    h.session.onEvent({ type: 'ChannelStateChange', channel: channel('call_1', 'Ringing') });
    h.session.onEvent({ type: 'StasisStart', channel: channel('call_1'), args: ['call_1'] });
    await settle();
    await settle();
    expect(h.control.hangup).toHaveBeenCalledWith('call_1', 'normal');
    // Asterisk reports 32 for a channel the application hung up; the call keeps what the gateway asked for.
    h.session.onEvent({ type: 'ChannelDestroyed', channel: channel('call_1'), cause: 32, cause_txt: 'Unknown' });
    h.originated();
    await run;
    expect(h.transitions.map((t) => t.to)).toEqual(['initiated', 'ringing', 'in-progress', 'completed']);
    expect(h.transitions[3]).toMatchObject({ cause: 'NORMAL_CLEARING' });
    expect(h.ended()).toBe(true);
  });

  it('ends a busy call shown only by ChannelDestroyed(17) before the originate response', async () => {
    const h = harness();
    const run = h.session.runOutbound();
    await settle();
    h.session.onEvent({ type: 'ChannelDestroyed', channel: channel('call_1', 'Down'), cause: 17, cause_txt: 'User busy' });
    h.originated();
    await run;
    expect(h.transitions.map((t) => [t.to, t.cause ?? null])).toEqual([
      ['initiated', null],
      ['busy', 'USER_BUSY'],
    ]);
  });

  it("ignores the events of a Local channel's ;2 half", async () => {
    const h = harness();
    void h.session.runOutbound();
    await settle();
    h.originated();
    await settle();
    h.session.onEvent({ type: 'ChannelDestroyed', channel: channel('call_1;2'), cause: 16, cause_txt: 'Normal Clearing' });
    expect(h.session.isHungUp).toBe(false);
  });

  it('fails the call when originate got no answer and Asterisk has no channel', async () => {
    const h = harness({}, { originate: 'reject' });
    await h.session.runOutbound();
    expect(h.transitions[0]).toEqual({ to: 'failed', event: 'ari.originate_failed', cause: 'ORIGINATE_FAILED' });
    expect(h.transitions.map((t) => t.to)).not.toContain('initiated');
    expect(h.ended()).toBe(true);
  });

  it('carries on when originate got no answer but the channel showed itself', async () => {
    const h = harness({}, { originate: 'reject' });
    h.channels.add('call_1');
    const run = h.session.runOutbound();
    await settle();
    await settle();
    expect(h.notes).toContain('ari.originate_unanswered');
    h.session.onEvent({ type: 'StasisStart', channel: channel('call_1'), args: ['call_1'] });
    await settle();
    h.session.onEvent({ type: 'ChannelDestroyed', channel: channel('call_1'), cause: 16, cause_txt: 'Normal Clearing' });
    await run;
    expect(h.transitions.map((t) => t.to)).toEqual(['initiated', 'in-progress', 'completed']);
  });
});

describe('CallSession watchdog', () => {
  it('ends a call past ring timeout + time limit + margin, saying why, whatever it waits on', async () => {
    const h = harness({ createdAt: new Date(Date.now() - 5000), timeoutS: 1, timeLimitS: 1 }, { watchdogMarginMs: 1500 });
    void h.session.runOutbound();
    await new Promise((r) => setTimeout(r, 50));
    await settle();
    expect(h.notes).toContain('watchdog.expired');
    expect(h.transitions.at(-1)).toMatchObject({ to: 'failed', event: 'watchdog.expired', cause: 'RECOVERY_ON_TIMER_EXPIRE' });
    expect(h.control.hangup).toHaveBeenCalledWith('call_1', 'normal');
    expect(h.ended()).toBe(true);
  });

  it('does not fire before the deadline', async () => {
    const h = harness({ timeoutS: 30, timeLimitS: 600 });
    void h.session.runOutbound();
    await new Promise((r) => setTimeout(r, 50));
    expect(h.notes).not.toContain('watchdog.expired');
    expect(h.ended()).toBe(false);
    h.session.onEvent({ type: 'ChannelDestroyed', channel: channel('call_1'), cause: 19, cause_txt: 'No answer' });
    await settle();
  });
});
