/**
 * Playbacks and recordings on channels (res_stasis_playback.c, res_stasis_recording.c).
 * Media commands queue per channel and run one at a time, as Stasis runs them on the channel's
 * thread: a second play while one is playing answers `queued` and starts when the first ends.
 *
 * Playback events: PlaybackStarted once per media URI (state playing), PlaybackContinuing
 * between URIs of a list, PlaybackFinished at the end (state done; failed when the media cannot
 * be played). DELETE /playbacks/{id} and hangup end it early with state done.
 * Recording events: RecordingStarted, then RecordingFinished (state done, or canceled for
 * DELETE /recordings/live/{name}) or RecordingFailed (channel in a bridge, unanswered channel).
 */
import type { EventBody } from './event-hub';
import type { CallLog } from './call-log';
import type { SimChannel, MediaJob } from './channel';
import { AriError } from './errors';
import type { IdGenerator } from './ids';
import { mediaDurationMs } from './media';
import { FORMATS, RecordingStore } from './recording-store';
import type { MediaTimings } from './scenarios';

/** What the engine needs from the simulator. */
export interface MediaContext {
  emit(ch: SimChannel, event: EventBody): void;
  log: CallLog;
  store: RecordingStore;
  ids: IdGenerator;
  media(): MediaTimings;
  /** A playback started on the channel; `index` is 1-based over the channel's playbacks. */
  onPlaybackStarted(ch: SimChannel, index: number): void;
  /** Answers an inbound (Ring) channel before recording; false when the channel cannot be answered. */
  autoAnswer(ch: SimChannel): boolean;
}

/** Playback model fields. */
export interface PlaybackJson {
  id: string;
  media_uri: string;
  next_media_uri?: string;
  target_uri: string;
  language: string;
  state: 'queued' | 'playing' | 'continuing' | 'done' | 'failed';
}

/** LiveRecording model fields. */
export interface LiveRecordingJson {
  name: string;
  format: string;
  target_uri: string;
  state: 'queued' | 'recording' | 'paused' | 'done' | 'failed' | 'canceled';
  duration?: number;
  talking_duration?: number;
  silence_duration?: number;
  cause?: string;
}

interface Playback {
  json: PlaybackJson;
  channel: SimChannel;
  medias: string[];
  index: number;
  offsetMs: number;
  timer?: NodeJS.Timeout;
  job: MediaJob;
}

/** Options of POST /channels/{channelId}/record, already type-converted. */
export interface RecordOptions {
  name: string;
  format: string;
  maxDurationSeconds: number;
  maxSilenceSeconds: number;
  ifExists: string;
  beep: boolean;
  terminateOn: string;
}

interface Recording {
  json: LiveRecordingJson;
  channel: SimChannel;
  opts: RecordOptions;
  startedAt?: number;
  timers: NodeJS.Timeout[];
  job: MediaJob;
}

/** Playback and recording state of all channels. */
export class MediaEngine {
  private readonly playbacks = new Map<string, Playback>();
  private readonly recordings = new Map<string, Recording>();

  constructor(private readonly ctx: MediaContext) {}

  /**
   * Queues a playback of `medias` (played in order) and returns it in state queued.
   * @throws AriError 400 for a negative offsetms/skipms or no media, 409 for a playbackId in use.
   */
  play(ch: SimChannel, medias: string[], opts: { lang?: string; offsetms?: number; skipms?: number; playbackId?: string }): PlaybackJson {
    if ((opts.skipms ?? 0) < 0) throw new AriError(400, 'skipms cannot be negative');
    if ((opts.offsetms ?? 0) < 0) throw new AriError(400, 'offsetms cannot be negative');
    if (medias.length === 0 || medias.some((m) => m === '')) throw new AriError(400, 'Missing required parameter: media');
    const id = opts.playbackId || this.ctx.ids.uuid();
    if (this.playbacks.has(id)) throw new AriError(409, `Playback ${id} already exists`);
    const pb: Playback = {
      json: { id, media_uri: medias[0] as string, target_uri: `channel:${ch.id}`, language: opts.lang || ch.language, state: 'queued' },
      channel: ch,
      medias,
      index: 0,
      offsetMs: opts.offsetms ?? 0,
      job: { start: () => this.startMedia(pb), discard: () => this.playbacks.delete(id) },
    };
    if (medias.length > 1) pb.json.next_media_uri = medias[1];
    this.playbacks.set(id, pb);
    this.ctx.log.add(ch.id, 'play', { playbackId: id, media: medias });
    this.enqueue(ch, pb.job);
    return { ...pb.json };
  }

  /** A live (queued or playing) playback, or undefined. */
  getPlayback(id: string): PlaybackJson | undefined {
    const pb = this.playbacks.get(id);
    return pb ? { ...pb.json } : undefined;
  }

  /**
   * Stops a playback (DELETE /playbacks/{id}): PlaybackFinished with state done.
   * @throws AriError 404 when there is no such live playback.
   */
  stopPlayback(id: string): void {
    const pb = this.playbacks.get(id);
    if (!pb) throw new AriError(404, 'Playback not found');
    const ch = pb.channel;
    const queuedAt = ch.mediaQueue.indexOf(pb.job);
    if (queuedAt >= 0) ch.mediaQueue.splice(queuedAt, 1);
    this.ctx.log.add(ch.id, 'playback-stopped', { playbackId: id });
    this.finishPlayback(pb, 'done', queuedAt < 0);
  }

  /**
   * Queues a recording and returns it in state queued (validation as resource_channels.c).
   * @throws AriError 400 (bad name, terminateOn, ifExists, negative limits), 409 (name in use or
   * stored with ifExists=fail), 422 (unknown format).
   */
  record(ch: SimChannel, opts: RecordOptions): LiveRecordingJson {
    if (opts.maxDurationSeconds < 0) throw new AriError(400, 'max_duration_seconds cannot be negative');
    if (opts.maxSilenceSeconds < 0) throw new AriError(400, 'max_silence_seconds cannot be negative');
    if (!['none', 'any', '#', '*'].includes(opts.terminateOn.toLowerCase())) throw new AriError(400, 'terminateOn invalid');
    if (!['fail', 'overwrite', 'append'].includes(opts.ifExists.toLowerCase())) throw new AriError(400, 'ifExists invalid');
    if (!FORMATS[opts.format]) throw new AriError(422, 'specified format is unknown on this system');
    if (!RecordingStore.validName(opts.name)) throw new AriError(400, 'Recording name invalid');
    const exists = `Recording '${opts.name}' already exists and can not be overwritten`;
    if (opts.ifExists.toLowerCase() === 'fail' && this.ctx.store.find(opts.name)) throw new AriError(409, exists);
    if (this.recordings.has(opts.name)) throw new AriError(409, exists);
    const rec: Recording = {
      json: { name: opts.name, format: opts.format, target_uri: `channel:${ch.id}`, state: 'queued' },
      channel: ch,
      opts: { ...opts, ifExists: opts.ifExists.toLowerCase(), terminateOn: opts.terminateOn.toLowerCase() },
      timers: [],
      job: { start: () => this.startRecording(rec), discard: () => this.recordings.delete(opts.name) },
    };
    this.recordings.set(opts.name, rec);
    this.ctx.log.add(ch.id, 'record', { ...opts });
    this.enqueue(ch, rec.job);
    return { ...rec.json };
  }

  /** A live recording by name, or undefined. */
  getLive(name: string): LiveRecordingJson | undefined {
    const rec = this.recordings.get(name);
    return rec ? this.liveJson(rec) : undefined;
  }

  /**
   * Stops a live recording and keeps it (`keep`), or cancels it and deletes the file.
   * @throws AriError 404 when there is no such live recording.
   */
  endRecording(name: string, keep: boolean): void {
    const rec = this.recordings.get(name);
    if (!rec) throw new AriError(404, 'Recording not found');
    this.ctx.log.add(rec.channel.id, keep ? 'recording-stopped' : 'recording-canceled', { name });
    if (rec.json.state === 'queued') {
      const ch = rec.channel;
      const at = ch.mediaQueue.indexOf(rec.job);
      if (at >= 0) ch.mediaQueue.splice(at, 1);
      this.recordings.delete(name);
      return;
    }
    this.finishRecording(rec, keep ? 'done' : 'canceled');
  }

  /** True while the channel is recording (bridges refuse such channels). */
  isRecording(ch: SimChannel): boolean {
    return [...this.recordings.values()].some((r) => r.channel === ch && r.json.state === 'recording');
  }

  /** Far-end DTMF: ends a recording whose terminateOn matches the digit. */
  onDtmf(ch: SimChannel, digit: string): void {
    for (const rec of this.recordings.values()) {
      if (rec.channel !== ch || rec.json.state !== 'recording') continue;
      const t = rec.opts.terminateOn;
      if (t === 'any' || t === digit) this.finishRecording(rec, 'done');
    }
  }

  /** The channel hangs up: the current playback/recording finishes (state done), queued ones are dropped. */
  hangup(ch: SimChannel): void {
    for (const job of ch.mediaQueue.splice(0)) job.discard();
    for (const pb of [...this.playbacks.values()]) if (pb.channel === ch) this.finishPlayback(pb, 'done', false);
    for (const rec of [...this.recordings.values()]) if (rec.channel === ch) this.finishRecording(rec, 'done', false);
  }

  /** The channel vanished: its queued, running and recording media are dropped without events or files. */
  forget(ch: SimChannel): void {
    for (const job of ch.mediaQueue.splice(0)) job.discard();
    for (const pb of [...this.playbacks.values()]) {
      if (pb.channel !== ch) continue;
      clearTimeout(pb.timer);
      this.playbacks.delete(pb.json.id);
    }
    for (const rec of [...this.recordings.values()]) {
      if (rec.channel !== ch) continue;
      rec.timers.forEach(clearTimeout);
      this.recordings.delete(rec.json.name);
    }
  }

  /** Forgets all state (after every channel is gone). */
  clear(): void {
    for (const pb of this.playbacks.values()) clearTimeout(pb.timer);
    for (const rec of this.recordings.values()) rec.timers.forEach(clearTimeout);
    this.playbacks.clear();
    this.recordings.clear();
  }

  private enqueue(ch: SimChannel, job: MediaJob): void {
    ch.mediaQueue.push(job);
    // Deferred like Stasis' asynchronous commands: the REST answer (state queued) goes out first.
    ch.later(0, () => this.runNext(ch));
  }

  private runNext(ch: SimChannel): void {
    if (ch.mediaBusy || ch.destroyed) return;
    const job = ch.mediaQueue.shift();
    if (!job) return;
    ch.mediaBusy = true;
    job.start();
  }

  private jobDone(ch: SimChannel): void {
    ch.mediaBusy = false;
    this.runNext(ch);
  }

  private startMedia(pb: Playback): void {
    const ch = pb.channel;
    const uri = pb.medias[pb.index] as string;
    pb.json.state = 'playing';
    pb.json.media_uri = uri;
    if (pb.index + 1 < pb.medias.length) pb.json.next_media_uri = pb.medias[pb.index + 1];
    else delete pb.json.next_media_uri;
    this.ctx.emit(ch, { type: 'PlaybackStarted', playback: { ...pb.json } });
    if (pb.index === 0) {
      ch.playbacksStarted += 1;
      this.ctx.onPlaybackStarted(ch, ch.playbacksStarted);
    }
    const duration = mediaDurationMs(uri, this.ctx.media(), (name) => this.ctx.store.lengthMs(name), pb.index === 0 ? pb.offsetMs : 0);
    if (duration === null) {
      this.ctx.log.add(ch.id, 'playback-failed', { playbackId: pb.json.id, media: uri });
      this.nextMedia(pb, 'failed');
      return;
    }
    if (duration === Number.POSITIVE_INFINITY) return; // tone: plays until stopped
    pb.timer = setTimeout(() => this.nextMedia(pb, 'done'), duration);
  }

  private nextMedia(pb: Playback, result: 'done' | 'failed'): void {
    pb.timer = undefined;
    if (pb.index + 1 < pb.medias.length) {
      pb.json.state = 'continuing';
      this.ctx.emit(pb.channel, { type: 'PlaybackContinuing', playback: { ...pb.json } });
      pb.index += 1;
      this.startMedia(pb);
      return;
    }
    this.finishPlayback(pb, result, true);
  }

  private finishPlayback(pb: Playback, state: 'done' | 'failed', wasRunning: boolean): void {
    clearTimeout(pb.timer);
    this.playbacks.delete(pb.json.id);
    pb.json.state = state;
    this.ctx.emit(pb.channel, { type: 'PlaybackFinished', playback: { ...pb.json } });
    this.ctx.log.add(pb.channel.id, 'playback-finished', { playbackId: pb.json.id, state });
    if (wasRunning) this.jobDone(pb.channel);
  }

  private startRecording(rec: Recording): void {
    const ch = rec.channel;
    if (ch.bridgeId) return this.failRecording(rec, 'Cannot record channel while in bridge');
    if (!this.ctx.autoAnswer(ch)) return this.failRecording(rec, 'Failed to answer channel');
    rec.json.state = 'recording';
    rec.startedAt = Date.now();
    this.ctx.emit(ch, { type: 'RecordingStarted', recording: this.liveJson(rec) });
    if (rec.opts.maxDurationSeconds > 0) {
      rec.timers.push(setTimeout(() => this.finishRecording(rec, 'done', true, false, true), rec.opts.maxDurationSeconds * 1000));
    }
    if (rec.opts.maxSilenceSeconds > 0) {
      const at = ch.farEnd.speechMs + rec.opts.maxSilenceSeconds * 1000;
      rec.timers.push(setTimeout(() => this.finishRecording(rec, 'done', true, true), at));
    }
  }

  private failRecording(rec: Recording, cause: string): void {
    this.recordings.delete(rec.json.name);
    rec.json.state = 'failed';
    rec.json.cause = cause;
    this.ctx.emit(rec.channel, { type: 'RecordingFailed', recording: { ...rec.json } });
    this.ctx.log.add(rec.channel.id, 'recording-failed', { name: rec.json.name, cause });
    this.jobDone(rec.channel);
  }

  private finishRecording(rec: Recording, state: 'done' | 'canceled', wasRunning = true, silenceEnded = false, capped = false): void {
    rec.timers.forEach(clearTimeout);
    this.recordings.delete(rec.json.name);
    // A timer can fire a millisecond before Date.now() says its delay passed (libuv measures from
    // its cached loop time): a recording ended by maxDurationSeconds lasted exactly that long.
    const measured = rec.startedAt === undefined ? 0 : Date.now() - rec.startedAt;
    const elapsed = capped ? Math.max(measured, rec.opts.maxDurationSeconds * 1000) : measured;
    // Silence detection trims the trailing silence, as ast_play_and_record does.
    const audioMs = silenceEnded ? Math.min(elapsed, rec.channel.farEnd.speechMs) : elapsed;
    if (state === 'canceled') {
      this.ctx.store.delete(rec.json.name);
    } else {
      try {
        this.ctx.store.write(rec.json.name, rec.opts.format, audioMs, rec.opts.ifExists === 'append');
      } catch (err) {
        return this.failRecording(rec, `Could not write recording: ${(err as Error).message}`);
      }
    }
    rec.json.state = state;
    rec.json.duration = Math.floor(audioMs / 1000);
    if (rec.opts.maxSilenceSeconds > 0) {
      rec.json.talking_duration = Math.floor(Math.min(audioMs, rec.channel.farEnd.speechMs) / 1000);
      rec.json.silence_duration = rec.json.duration - rec.json.talking_duration;
    }
    this.ctx.emit(rec.channel, { type: 'RecordingFinished', recording: { ...rec.json } });
    this.ctx.log.add(rec.channel.id, 'recording-finished', { name: rec.json.name, state, duration: rec.json.duration });
    if (wasRunning) this.jobDone(rec.channel);
  }

  private liveJson(rec: Recording): LiveRecordingJson {
    // Like Asterisk, duration appears only once the recording has ended.
    return { ...rec.json };
  }
}
