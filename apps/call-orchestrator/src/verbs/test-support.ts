/**
 * Fakes for the verb handlers' unit tests, without ARI: a session whose events, keys and hangup the
 * test drives, and a CallControl that records every request. (Named like the repository's other
 * test helpers so that the production build, which excludes `test-support.ts`, leaves it out.)
 */
import type { TimelineEntry } from '@gw/calls';
import type { CallEntity, DialAllowlist } from '@gw/database';
import type { Command } from '@gw/flow';
import type { RecordingStore } from '@gw/recordings';
import { OutboundAddressPolicy, outboundDispatcher } from '@gw/security';
import type { AriEvent } from '../ari/ari-events';
import type { CallControl, OriginateRequest } from '../ari/call-control';
import type { Speech, TtsEngine } from '../media/tts';
import { FETCH_MAX_RESPONSE_BYTES } from './fetch.handler';
import { EventWaiters, type WaitResult } from '../session/event-waiters';
import { HUNGUP, type SessionIo } from './session-io';
import type { VerbDeps, VerbStore } from './verb-handler';

/** A call session in memory, with the same waiting and hangup semantics as `CallSession`. */
export class FakeSession implements SessionIo {
  readonly callId = 'call_1';
  readonly channelId = 'call_1';
  readonly projectId = 'prj_1';
  readonly from = '+15550002222';
  readonly callRow = { id: 'call_1', projectId: 'prj_1' } as CallEntity;
  commandStartedAt: number | null = null;
  currentPlayback: string | null = null;
  /** Every value given to setCurrentPlayback, in order. */
  readonly playbackHistory: Array<string | null> = [];
  /** The verb of every `scheduled` call, in order (one per ARI request a verb reports). */
  readonly scheduledVerbs: string[] = [];
  readonly timeline: TimelineEntry[] = [];
  /** Number of `markResult` calls. */
  results = 0;
  private hungUp = false;
  private legs = 0;
  private readonly waiters = new EventWaiters();
  private dtmfSink: ((digit: string) => void) | null = null;
  private readonly hangupListeners = new Set<() => void>();

  get isHungUp(): boolean {
    return this.hungUp;
  }

  /** Events being waited for. */
  get pendingWaits(): number {
    return this.waiters.size;
  }

  setCurrentPlayback(playbackId: string | null): void {
    this.currentPlayback = playbackId;
    this.playbackHistory.push(playbackId);
  }

  nextLegIndex(): number {
    return ++this.legs;
  }

  waitFor(match: (e: AriEvent) => boolean, timeoutMs?: number): Promise<WaitResult> {
    if (this.hungUp) return Promise.resolve(HUNGUP);
    return this.waiters.wait(match, timeoutMs);
  }

  setDtmfSink(sink: ((digit: string) => void) | null): void {
    this.dtmfSink = sink;
  }

  onHangup(listener: () => void): () => void {
    if (this.hungUp) {
      listener();
      return () => {};
    }
    this.hangupListeners.add(listener);
    return () => this.hangupListeners.delete(listener);
  }

  markResult(): void {
    this.results++;
  }

  scheduled(verb: string): number | null {
    this.scheduledVerbs.push(verb);
    return null;
  }

  queueTimeline(entry: TimelineEntry): void {
    this.timeline.push(entry);
  }

  /** Delivers an ARI event of the call's channels to whoever waits for it. */
  emit(e: AriEvent): void {
    this.waiters.dispatch(e);
  }

  /** Presses DTMF keys on the main channel, one event per character. */
  press(keys: string): void {
    for (const k of keys) this.dtmfSink?.(k);
  }

  /** The main channel hangs up. */
  hangUp(): void {
    if (this.hungUp) return;
    this.hungUp = true;
    this.dtmfSink = null;
    this.waiters.releaseAll();
    for (const listener of [...this.hangupListeners]) listener();
    this.hangupListeners.clear();
  }
}

/** The ARI requests of CallControl (its methods). */
export type ControlMethod = {
  [K in keyof CallControl]: CallControl[K] extends (...args: never[]) => unknown ? K : never;
}[keyof CallControl];
type ArgsOf<M extends ControlMethod> = Parameters<CallControl[M]>;

/** One request to the fake CallControl. */
export type ControlCall = { [M in ControlMethod]: { method: M; args: ArgsOf<M> } }[ControlMethod];

type Hooks = { [M in ControlMethod]?: (...args: ArgsOf<M>) => void };

/** A CallControl that records each request, then fails it (`failures`) or runs its hook (`after`). */
export class FakeCallControl implements CallControl {
  readonly server = 'test';
  readonly calls: ControlCall[] = [];
  /** Requests that fail with this error, per method. */
  readonly failures: Partial<Record<ControlMethod, Error>> = {};
  /** Run after a request succeeds, e.g. to emit the event Asterisk would send. */
  readonly after: Hooks = {};
  /** What `storedRecording` returns. */
  storedFile: Buffer = wavOfSeconds(3);

  /** The method names requested, in order. */
  get methods(): ControlMethod[] {
    return this.calls.map((c) => c.method);
  }

  /** The arguments of each request to `method`, in order. */
  argsOf<M extends ControlMethod>(method: M): Array<ArgsOf<M>> {
    return this.calls.filter((c) => c.method === method).map((c) => c.args as ArgsOf<M>);
  }

  originate(req: OriginateRequest): Promise<void> {
    return this.request('originate', [req]);
  }
  move(channelId: string, appArgs: string): Promise<void> {
    return this.request('move', [channelId, appArgs]);
  }
  answer(channelId: string): Promise<void> {
    return this.request('answer', [channelId]);
  }
  play(channelId: string, playbackId: string, media: string): Promise<void> {
    return this.request('play', [channelId, playbackId, media]);
  }
  stopPlayback(playbackId: string): Promise<void> {
    return this.request('stopPlayback', [playbackId]);
  }
  async playbackExists(playbackId: string): Promise<boolean> {
    await this.request('playbackExists', [playbackId]);
    return true;
  }
  hangup(channelId: string, reason: string): Promise<void> {
    return this.request('hangup', [channelId, reason]);
  }
  async getChannel(channelId: string): Promise<{ id: string; state: string }> {
    await this.request('getChannel', [channelId]);
    return { id: channelId, state: 'Up' };
  }
  record(channelId: string, name: string, opts: { maxDurationSeconds: number; beep: boolean; terminateOn: string }): Promise<void> {
    return this.request('record', [channelId, name, opts]);
  }
  async storedRecording(name: string): Promise<Buffer> {
    await this.request('storedRecording', [name]);
    return this.storedFile;
  }
  createBridge(bridgeId: string): Promise<void> {
    return this.request('createBridge', [bridgeId]);
  }
  addToBridge(bridgeId: string, channelIds: string[]): Promise<void> {
    return this.request('addToBridge', [bridgeId, channelIds]);
  }
  destroyBridge(bridgeId: string): Promise<void> {
    return this.request('destroyBridge', [bridgeId]);
  }

  private async request<M extends ControlMethod>(method: M, args: ArgsOf<M>): Promise<void> {
    this.calls.push({ method, args } as ControlCall);
    const failure = this.failures[method];
    if (failure) throw failure;
    (this.after[method] as ((...a: ArgsOf<M>) => void) | undefined)?.(...args);
  }
}

/** Outbound HTTP of the verb tests: as in production, with loopback 127.0.0.1 (where test servers listen) as the operator's exception. */
const loopbackHttp = outboundDispatcher(new OutboundAddressPolicy(['127.0.0.1/32']), { maxResponseBytes: FETCH_MAX_RESPONSE_BYTES });

/**
 * Verb dependencies over fakes: TTS answers `sound:tts/<text>`, stores keep what they are given, the
 * clock is `clock.ms`; the project's dial allowlist is `dial.allowlist` (none set by default).
 */
export function fakeDeps(control: FakeCallControl, webhookSecret: string | null = null) {
  const spoken: Array<{ text: string; voice: string }> = [];
  const stored = new Map<string, { data: Buffer; contentType: string }>();
  const recordingRows: Array<Parameters<VerbStore['addRecording']>[1]> = [];
  const clock = { ms: Date.UTC(2025, 0, 1) };
  const dial: { allowlist: DialAllowlist | null } = { allowlist: null };
  const tts: TtsEngine = {
    synthesize: async (text: string, voice: string): Promise<Speech> => {
      spoken.push({ text, voice });
      return { mediaUri: `sound:tts/${text}`, durationMs: 1000 };
    },
  };
  const recordings: RecordingStore = {
    put: async (key, data, contentType) => void stored.set(key, { data, contentType }),
    get: () => Promise.reject(new Error('not used by the verbs')),
    delete: () => Promise.reject(new Error('not used by the verbs')),
  };
  const store: VerbStore = {
    addRecording: async (_call, rec) => void recordingRows.push(rec),
    webhookSecret: async () => webhookSecret,
    dialAllowlist: async () => dial.allowlist,
  };
  const deps: VerbDeps = {
    control,
    store,
    tts,
    recordings,
    defaultVoice: 'en-us',
    trunkEndpoint: (target) => `PJSIP/${target}@trunk`,
    now: () => clock.ms,
    http: loopbackHttp,
  };
  return { deps, spoken, stored, recordingRows, clock, dial };
}

/** The step reference of test commands. */
export function stepOf(verb: Command['step']['verb']): Command['step'] {
  return { document: 0, index: 0, label: null, verb };
}

/** ARI PlaybackFinished of a playback on the test call's channel. */
export function playbackFinished(playbackId: string): AriEvent {
  return { type: 'PlaybackFinished', playback: { id: playbackId, target_uri: 'channel:call_1', state: 'done' } };
}

/** ARI StasisStart of a channel (a dial leg entering the application when answered). */
export function stasisStart(channelId: string): AriEvent {
  return { type: 'StasisStart', channel: { id: channelId, state: 'Up' }, args: [] };
}

/** ARI ChannelDestroyed of a channel with a Q.850 cause. */
export function channelDestroyed(channelId: string, cause: number): AriEvent {
  return { type: 'ChannelDestroyed', channel: { id: channelId, state: 'Down' }, cause, cause_txt: `cause ${cause}` };
}

/** A WAV file of `seconds` of 8 kHz 16-bit mono silence (44-byte header). */
export function wavOfSeconds(seconds: number): Buffer {
  return Buffer.alloc(44 + seconds * 16000);
}

/** Lets pending promise callbacks and immediates run (real timers only). */
export const settle = (): Promise<void> => new Promise((r) => setImmediate(r));

/** A fresh fake session, CallControl and handler deps (one per test: `beforeEach(() => ({ s, control, f } = handlerFixture()))`). */
export function handlerFixture(): { s: FakeSession; control: FakeCallControl; f: ReturnType<typeof fakeDeps> } {
  const control = new FakeCallControl();
  return { s: new FakeSession(), control, f: fakeDeps(control) };
}
