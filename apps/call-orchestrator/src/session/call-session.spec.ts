import type { CallEntity } from '@gw/database';
import type { CallControl } from '../ari/call-control';
import type { CallStore } from '../call-store';
import { CallSession, SessionDeps } from './call-session';
import type { VerbRunner } from './verb-runner';

/** A queued outbound call whose channel id is its own id, as the api creates it. */
const queuedCall = {
  id: 'call_1',
  channelId: null,
  status: 'queued',
  to: '+15550001111',
  from: '+15550002222',
  timeoutS: 30,
} as unknown as CallEntity;

function harness() {
  let releaseOriginate: () => void = () => undefined;
  const channels = new Set<string>();
  const notes: string[] = [];
  const control = {
    originate: jest.fn(
      ({ channelId }: { channelId: string }) =>
        new Promise<void>((resolve) => {
          releaseOriginate = () => {
            channels.add(channelId);
            resolve();
          };
        }),
    ),
    getChannel: jest.fn(async (id: string) => (channels.has(id) ? { id } : null)),
    hangup: jest.fn(async () => undefined),
  };
  const store = {
    setChannel: jest.fn(async () => undefined),
    transition: jest.fn(async () => true),
    step: jest.fn(
      async (_id: string, _state: unknown, entries: Array<{ event: string }>) => void notes.push(...entries.map((e) => e.event)),
    ),
  };
  const deps: SessionDeps = {
    control: control as unknown as CallControl,
    store: store as unknown as CallStore,
    verbs: { currentPlayback: () => undefined } as unknown as VerbRunner,
    trunkEndpoint: (n) => `PJSIP/${n}@trunk`,
    log: () => undefined,
    onEnded: () => undefined,
  };
  const originated = () => releaseOriginate();
  return { session: new CallSession(queuedCall, deps), control, channels, notes, originated };
}

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
