import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { request } from 'undici';
import type { TimelineEntry } from '@gw/calls';
import type { CallEntity } from '@gw/database';
import { newId } from '@gw/database';
import { DigitCollector } from '@gw/flow';
import type { Command, DialCommand, FetchCommand, GatherCommand, PromptCommand, RecordCommand, StepResult } from '@gw/flow';
import type { RecordingStore } from '@gw/recordings';
import { signWebhook, type WebhookSecret } from '@gw/security';
import type { AriEvent } from '../ari/ari-events';
import type { CallControl } from '../ari/call-control';
import type { CallStore } from '../call-store';
import type { TtsEngine } from '../media/tts';

/** Resolved instead of an event when the call's main channel hung up. */
export const HUNGUP = Symbol('hungup');

/** The parts of a call session the verbs use. */
export interface SessionIo {
  readonly callId: string;
  readonly channelId: string;
  readonly projectId: string;
  readonly from: string;
  readonly isHungUp: boolean;
  readonly callRow: CallEntity;
  waitFor(match: (e: AriEvent) => boolean, timeoutMs?: number): Promise<AriEvent | typeof HUNGUP | 'timeout'>;
  setDtmfSink(sink: ((digit: string) => void) | null): void;
  /** Calls `listener` when the main channel hangs up (at once if it already has); returns the unsubscribe. */
  onHangup(listener: () => void): () => void;
  markResult(): void;
  scheduled(verb: string): number | null;
  queueTimeline(entry: TimelineEntry): void;
}

export interface VerbRunnerDeps {
  control: CallControl;
  store: CallStore;
  tts: TtsEngine;
  recordings: RecordingStore;
  defaultVoice: string;
  trunkEndpoint: (target: string) => string;
}

const HUNG: StepResult = { kind: 'hungup' };

/**
 * Carries out interpreter commands on ARI: say (TTS), play, gather (DigitCollector with barge-in),
 * dial (second leg + mixing bridge), record (stored in the recording store), pause, fetch
 * (signed POST/GET for redirect and actionHook) and hangup. Returns the interpreter result.
 */
export class VerbRunner {
  private readonly playing = new Map<string, string>();
  private legs = 0;

  constructor(private readonly deps: VerbRunnerDeps) {}

  async execute(s: SessionIo, c: Command): Promise<StepResult> {
    switch (c.kind) {
      case 'say':
      case 'play':
        return this.prompt(s, c, c.loop);
      case 'pause':
        s.scheduled('pause');
        return (await s.waitFor(() => false, c.ms)) === HUNGUP ? HUNG : { kind: 'done' };
      case 'gather':
        return this.gather(s, c);
      case 'dial':
        return this.dial(s, c);
      case 'record':
        return this.record(s, c);
      case 'fetch':
        return this.fetch(s, c);
      case 'hangup':
        s.scheduled('hangup');
        await this.deps.control.hangup(s.channelId, c.reason);
        return HUNG;
    }
  }

  /** The playback a session is waiting on, if any (checked after an ARI reconnect, when events may have been lost). */
  currentPlayback(callId: string): string | null {
    return this.playing.get(callId) ?? null;
  }

  private async media(p: PromptCommand): Promise<string> {
    if (p.kind === 'say') return (await this.deps.tts.synthesize(p.text, p.voice ?? this.deps.defaultVoice)).mediaUri;
    return p.url;
  }

  /** Plays `media` once; resolves when PlaybackFinished arrives (or the call hangs up). */
  private async playOnce(s: SessionIo, media: string, verb: string): Promise<'done' | typeof HUNGUP> {
    const playbackId = randomUUID();
    const finished = s.waitFor((e) => e.type === 'PlaybackFinished' && e.playback.id === playbackId);
    this.playing.set(s.callId, playbackId);
    s.scheduled(verb);
    try {
      await this.deps.control.play(s.channelId, playbackId, media);
    } catch (err) {
      if (s.isHungUp) return HUNGUP;
      throw err;
    }
    const r = await finished;
    this.playing.delete(s.callId);
    return r === HUNGUP ? HUNGUP : 'done';
  }

  private async prompt(s: SessionIo, c: PromptCommand, loop: number): Promise<StepResult> {
    const media = await this.media(c);
    for (let i = 0; i < Math.max(1, loop); i++) {
      if ((await this.playOnce(s, media, c.kind)) === HUNGUP) return HUNG;
    }
    return { kind: 'done' };
  }

  private async gather(s: SessionIo, c: GatherCommand): Promise<StepResult> {
    const collector = new DigitCollector(c);
    const media = c.prompt ? await this.media(c.prompt) : null;
    return new Promise<StepResult>((resolve) => {
      let timer: NodeJS.Timeout | null = null;
      let promptPlayback: string | null = null;
      let over = false;
      let stopListening = () => {};
      const finish = (result: StepResult) => {
        if (over) return;
        over = true;
        if (timer) clearTimeout(timer);
        s.setDtmfSink(null);
        stopListening();
        if (promptPlayback) void this.deps.control.stopPlayback(promptPlayback).catch(() => undefined);
        s.markResult();
        resolve(result);
      };
      const apply = (out: ReturnType<DigitCollector['feed']>) => {
        if (out.bargeIn && promptPlayback) {
          const id = promptPlayback;
          promptPlayback = null;
          void this.deps.control.stopPlayback(id).catch(() => undefined);
        }
        if (out.done) return finish(out.done);
        if (out.arm) {
          if (timer) clearTimeout(timer);
          const t = out.arm.timer;
          timer = setTimeout(() => apply(collector.feed({ timer: t, atMs: performance.now() })), out.arm.ms);
        }
      };
      s.setDtmfSink((digit) => apply(collector.feed({ digit, atMs: performance.now() })));
      stopListening = s.onHangup(() => finish(HUNG));
      const playPrompt = async (first: boolean, remaining: number) => {
        if (!media || over || collector.finished) return;
        const id = randomUUID();
        promptPlayback = id;
        const ended = s.waitFor((e) => e.type === 'PlaybackFinished' && e.playback.id === id);
        if (first) s.scheduled('gather');
        await this.deps.control.play(s.channelId, id, media).catch(() => undefined);
        const r = await ended;
        if (promptPlayback === id) promptPlayback = null;
        if (r === HUNGUP || over) return;
        if (first) apply(collector.feed({ prompt: 'ended', atMs: performance.now() }));
        const loop = c.prompt?.loop ?? 1;
        if (!over && !collector.finished && collector.digits === '' && (loop === 0 || remaining > 1))
          await playPrompt(false, remaining - 1);
      };
      if (!media) s.scheduled('gather');
      apply(collector.start(performance.now()));
      void playPrompt(true, c.prompt?.loop ?? 1);
    });
  }

  private async dial(s: SessionIo, c: DialCommand): Promise<StepResult> {
    const leg = `${s.callId}.leg${++this.legs}`;
    const bridge = `${s.callId}.br${this.legs}`;
    const answered = s.waitFor((e) => (e.type === 'StasisStart' || e.type === 'ChannelDestroyed') && e.channel.id === leg);
    s.scheduled('dial');
    try {
      await this.deps.control.originate({
        channelId: leg,
        endpoint: this.deps.trunkEndpoint(c.target),
        callerId: c.callerId ?? s.from,
        timeoutS: Math.ceil(c.timeoutMs / 1000),
        appArgs: `dial,${s.callId}`,
      });
    } catch (err) {
      s.queueTimeline({
        kind: 'note',
        event: 'dial.originate_failed',
        detail: { reason: err instanceof Error ? err.message : String(err) },
      });
      return { kind: 'dialed', status: 'failed' };
    }
    const first = await answered;
    if (first === HUNGUP || first === 'timeout') {
      await this.deps.control.hangup(leg, 'normal');
      return first === HUNGUP ? HUNG : { kind: 'dialed', status: 'no-answer' };
    }
    if (first.type === 'ChannelDestroyed') {
      const status = first.cause === 17 ? 'busy' : first.cause === 19 || first.cause === 18 ? 'no-answer' : 'failed';
      return { kind: 'dialed', status };
    }
    const startedAt = Date.now();
    const legGone = s.waitFor(
      (e) => (e.type === 'ChannelDestroyed' || e.type === 'StasisEnd') && e.channel.id === leg,
      c.timeLimitMs ?? undefined,
    );
    await this.deps.control.createBridge(bridge);
    await this.deps.control.addToBridge(bridge, [s.channelId, leg]);
    s.queueTimeline({ kind: 'note', event: 'dial.bridged', detail: { leg, bridge } });
    const end = await legGone;
    if (end !== HUNGUP && end !== 'timeout') s.markResult();
    await this.deps.control.hangup(leg, 'normal');
    await this.deps.control.destroyBridge(bridge);
    if (end === HUNGUP) return HUNG;
    return { kind: 'dialed', status: 'completed', durationS: Math.round((Date.now() - startedAt) / 1000) };
  }

  private async record(s: SessionIo, c: RecordCommand): Promise<StepResult> {
    const recordingId = newId('rec');
    const done = s.waitFor(
      (e) => (e.type === 'RecordingFinished' || e.type === 'RecordingFailed') && e.recording.name === recordingId,
      c.maxLengthMs + 15000,
    );
    s.scheduled('record');
    await this.deps.control.record(s.channelId, recordingId, {
      maxDurationSeconds: Math.ceil(c.maxLengthMs / 1000),
      beep: c.beep,
      terminateOn: c.finishOnKey === '' ? 'none' : c.finishOnKey,
    });
    // On a hangup mid-recording Asterisk still finishes the file: it is fetched and kept all the same.
    const end = await done;
    const call = s.callRow;
    let durationS: number;
    try {
      const audio = await this.deps.control.storedRecording(recordingId);
      durationS =
        typeof end === 'object' && end.type === 'RecordingFinished' ? (end.recording.duration ?? wavSeconds(audio)) : wavSeconds(audio);
      const key = `${call.projectId}/${call.id}/${recordingId}.wav`;
      await this.deps.recordings.put(key, audio, 'audio/wav');
      await this.deps.store.addRecording(call, { id: recordingId, storageKey: key, durationS, sizeBytes: audio.length });
    } catch (err) {
      s.queueTimeline({
        kind: 'note',
        event: 'recording.failed',
        detail: { recording_id: recordingId, reason: err instanceof Error ? err.message : String(err) },
      });
      return s.isHungUp ? HUNG : { kind: 'recorded', recordingId, durationS: 0 };
    }
    return s.isHungUp ? HUNG : { kind: 'recorded', recordingId, durationS };
  }

  private async fetch(s: SessionIo, c: FetchCommand): Promise<StepResult> {
    const secret = await this.deps.store.webhookSecret(s.projectId);
    const body = JSON.stringify(c.body);
    const url = new URL(c.url);
    if (c.method === 'GET') for (const [k, v] of Object.entries(c.body)) url.searchParams.set(k, String(v ?? ''));
    const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'telecom-gateway-flows/1' };
    if (secret)
      Object.assign(
        headers,
        signWebhook(secret as WebhookSecret, randomUUID(), Math.floor(Date.now() / 1000), c.method === 'GET' ? '' : body),
      );
    s.scheduled('fetch');
    try {
      const res = await request(url, {
        method: c.method,
        headers,
        body: c.method === 'GET' ? undefined : body,
        signal: AbortSignal.timeout(c.timeoutMs),
      });
      const text = await res.body.text();
      s.markResult();
      if (res.statusCode < 200 || res.statusCode >= 300) return { kind: 'fetched', ok: false };
      return { kind: 'fetched', ok: true, verbs: JSON.parse(text) as unknown };
    } catch {
      s.markResult();
      return { kind: 'fetched', ok: false };
    }
  }
}

/** Seconds of 8 kHz 16-bit mono PCM in a WAV file (44-byte header). */
function wavSeconds(audio: Buffer): number {
  return Math.round(Math.max(0, audio.length - 44) / 16000);
}
