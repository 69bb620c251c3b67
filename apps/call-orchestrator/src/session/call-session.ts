import { performance } from 'node:perf_hooks';
import { q850Name, unansweredStatusFor } from '@gw/calls';
import type { TimelineEntry } from '@gw/calls';
import type { CallEntity } from '@gw/database';
import { inSpanUnder } from '@gw/tracing';
import { Advance, AriHangupReason, CallState, Command, currentCommand, Flow, FlowEvent, resume, start, StepResult } from '@gw/flow';
import type { AriEvent } from '../ari/ari-events';
import type { CallControl } from '../ari/call-control';
import type { CallStore } from '../call-store';
import type { VerbRegistry } from '../verbs/registry';
import { HUNGUP, SessionIo } from '../verbs/session-io';
import { EventWaiters, WaitResult } from './event-waiters';

/** What a session needs from its surroundings. */
export interface SessionDeps {
  control: CallControl;
  store: CallStore;
  verbs: VerbRegistry;
  trunkEndpoint: (target: string) => string;
  log: (level: 'info' | 'warn' | 'error', msg: string, extra?: Record<string, unknown>) => void;
  /** Added to ring timeout + time limit: past that the watchdog ends the call whatever its state, ms. */
  watchdogMarginMs: number;
  /** Called when the watchdog ended a call. */
  onWatchdog?: () => void;
  /** Called with (verb, ms) each time a command is issued: time from the previous result to the new ARI request. */
  onScheduled?: (verb: string, ms: number) => void;
  onEnded: (callId: string) => void;
}

/**
 * Drives one call: originates it (outbound) or answers it (inbound), moves its status on ARI events,
 * runs its flow through the pure interpreter, and ends it. Events for the call's channels (the main
 * channel id is the call id; dial legs are `<call id>.leg<n>`) are routed here by the runner.
 * Interpreter state and timeline entries are written through a per-call queue so ARI commands are not
 * held up by Postgres; the session reports `onEnded` once the call is final and every write has landed.
 */
export class CallSession implements SessionIo {
  readonly callId: string;
  readonly channelId: string;
  private readonly waiters = new EventWaiters();
  private answered: boolean;
  private hangup: { cause: number } | null = null;
  /** Cause name the gateway asked for when it hung the call up itself; it wins over what the PBX reports. */
  private requestedCause: string | null = null;
  private watchdog: NodeJS.Timeout | null = null;
  /** Set once any event of the main channel arrived (it may precede the originate response). */
  private channelSeen = false;
  private initiated = false;
  /** For a resumed call: when its pending command was first started (epoch ms), or null. */
  private resumedFrom: number | null = null;
  private writes: Promise<void> = Promise.resolve();
  private timeLimit: NodeJS.Timeout | null = null;
  private finished = false;
  /** True from the start of an outbound call until originate returned: its channel may not exist yet. */
  private originating = false;
  private resultAt: number | null = null;
  private dtmfSink: ((digit: string) => void) | null = null;
  private readonly hangupListeners = new Set<() => void>();
  // Per-call verb state (see SessionIo).
  commandStartedAt: number | null = null;
  private playback: string | null = null;
  private legs = 0;

  constructor(
    private call: CallEntity,
    private readonly deps: SessionDeps,
  ) {
    this.callId = call.id;
    this.channelId = call.channelId ?? call.id;
    this.answered = call.status === 'in-progress';
    this.armWatchdog();
  }

  /** Name of the ARI server carrying this call. */
  get server(): string {
    return this.deps.control.server;
  }

  get projectId(): string {
    return this.call.projectId;
  }

  get from(): string {
    return this.call.from;
  }

  get isHungUp(): boolean {
    return this.hangup !== null;
  }

  /**
   * Places an outbound call: originate, then ringing -> in-progress on ARI events, then the flow.
   * Asterisk may send the channel's events (even StasisStart or ChannelDestroyed) before it answers
   * `POST /channels`, and answers 200 for a busy or unreachable far end (the outcome is in the Dial
   * and ChannelDestroyed events): so the call moves on whichever comes first, and only an originate
   * refused with no channel to show for it fails the call.
   */
  async runOutbound(): Promise<void> {
    this.originating = true;
    const answered = this.waitFor((e) => e.type === 'StasisStart' && e.channel.id === this.channelId);
    await this.deps.store.setChannel(this.callId, this.channelId, this.server);
    // In the call's trace, like its verbs: the ARI request becomes this span's child.
    const response = inSpanUnder(this.call.traceparent, { name: 'call.originate', attributes: { 'gw.call.id': this.callId } }, () =>
      this.deps.control.originate({
        channelId: this.channelId,
        endpoint: this.deps.trunkEndpoint(this.call.to),
        callerId: this.call.from,
        timeoutS: this.call.timeoutS,
        appArgs: this.callId,
      }),
    ).then(
      () => null,
      (err: unknown) => (err instanceof Error ? err : new Error(String(err))),
    );
    const first = await Promise.race([answered.then(() => 'event' as const), response.then(() => 'response' as const)]);
    if (first === 'response') {
      const err = await response;
      if (err && !(await this.channelExists())) {
        this.originating = false;
        await this.deps.store.transition(this.callId, 'failed', 'ari.originate_failed', 'ORIGINATE_FAILED', { reason: err.message });
        return this.finish();
      }
      if (err) await this.note('ari.originate_unanswered', { reason: err.message, detail: 'the channel exists: carrying on with it' });
      this.markInitiated();
    } else {
      void response.then((err) => {
        if (err) this.queueTimeline({ kind: 'note', event: 'ari.originate_unanswered', detail: { reason: err.message } });
      });
    }
    this.originating = false;
    if ((await answered) === HUNGUP) return this.finish();
    await this.onAnswered('ari.StasisStart');
    await this.runFlow(this.startFlow());
  }

  /** Whether the main channel exists on ARI (or showed itself by an event); an unreachable ARI counts as no. */
  private async channelExists(): Promise<boolean> {
    if (this.channelSeen) return true;
    return (await this.deps.control.getChannel(this.channelId).catch(() => null)) !== null;
  }

  /** Writes `initiated` once, before any later status of the call. */
  private markInitiated(): void {
    if (this.initiated) return;
    this.initiated = true;
    this.write(() => this.deps.store.transition(this.callId, 'initiated', 'ari.originate').then(() => undefined));
  }

  /** Takes an inbound call that entered Stasis: answer it, then run the number's flow. */
  async runInbound(): Promise<void> {
    await this.deps.store.transition(this.callId, 'ringing', 'ari.StasisStart');
    try {
      await this.deps.control.answer(this.channelId);
    } catch (err) {
      await this.deps.store.transition(this.callId, 'failed', 'ari.answer_failed', 'ANSWER_FAILED', { reason: errText(err) });
      return this.finish();
    }
    await this.onAnswered('ari.answer');
    await this.runFlow(this.startFlow());
  }

  /**
   * Picks a call up again after this orchestrator restarted or lost ARI: re-issues the outstanding
   * command of the saved interpreter state (or waits for the answer of a call still ringing).
   */
  async runResumed(): Promise<void> {
    await this.note('reconcile.resumed', { status: this.call.status, channel_id: this.channelId });
    if (!this.answered) {
      const answered = await this.waitFor((e) => e.type === 'StasisStart' && e.channel.id === this.channelId);
      if (answered === HUNGUP) return this.finish();
      await this.onAnswered('ari.StasisStart');
      return this.runFlow(this.startFlow());
    }
    this.armTimeLimit(Date.now() - new Date(this.call.answeredAt ?? Date.now()).getTime());
    const saved = this.call.interpreterState as unknown as CallState | null;
    if (!saved) return this.runFlow(this.startFlow());
    const command = currentCommand(saved);
    // A timed verb (pause) waits only what is left of it: its start is the one first recorded.
    this.resumedFrom = await this.deps.store.commandStartedAt(this.callId);
    return this.runFlow({ state: saved, command, events: [] });
  }

  /** Hangs the call up on request (API hangup). */
  async requestHangup(event: string): Promise<void> {
    await this.note(event, {});
    await this.hangUp('normal');
  }

  /**
   * The ARI server carrying the call was lost: its channel went with it, so the call ends now with
   * cause ARI_SERVER_LOST and the reason in its timeline.
   */
  async serverLost(): Promise<void> {
    if (this.finished) return;
    this.queueTimeline({
      kind: 'note',
      event: 'ari.server_lost',
      detail: { server: this.server, reason: 'the ARI server stayed unreachable' },
    });
    this.requestedCause ??= 'ARI_SERVER_LOST';
    this.markHungUp(16, true);
    await this.finish('ari.server_lost');
  }

  /** Hangs the main channel up with an ARI reason; the call keeps the cause the gateway asked for. */
  private async hangUp(reason: AriHangupReason): Promise<void> {
    if (!this.hangup) this.requestedCause ??= ARI_REASON_CAUSE[reason];
    await this.deps.control.hangup(this.channelId, reason);
  }

  /** Routes one ARI event of this call's channels. */
  onEvent(e: AriEvent): void {
    if ('channel' in e && e.channel.id === this.channelId) {
      this.channelSeen = true;
      if (this.originating) this.markInitiated();
      if (e.type === 'ChannelStateChange' && e.channel.state === 'Ringing' && !this.answered) {
        this.write(() => this.deps.store.transition(this.callId, 'ringing', 'ari.ChannelStateChange').then(() => undefined));
      }
      if (e.type === 'ChannelDtmfReceived') {
        this.queueTimeline({
          kind: 'dtmf',
          event: 'ari.ChannelDtmfReceived',
          detail: { digit: e.digit, duration_ms: e.duration_ms ?? null },
        });
        this.dtmfSink?.(e.digit);
      }
      if (e.type === 'ChannelDestroyed') this.markHungUp(e.cause, true);
      else if (e.type === 'ChannelHangupRequest' || e.type === 'StasisEnd')
        this.markHungUp(e.type === 'ChannelHangupRequest' ? (e.cause ?? 16) : 16, false);
    }
    if (this.waiters.dispatch(e)) this.resultAt = performance.now();
  }

  /**
   * After an ARI reconnect or on the reconciliation timer: treat the call as hung up when its
   * channel is gone (events may have been missed). A call still being originated has no channel
   * yet, so it is left alone.
   */
  async recheck(): Promise<void> {
    if (this.finished || this.originating) return;
    const ch = await this.deps.control.getChannel(this.channelId);
    if (!ch) {
      await this.note('reconcile.channel_gone', { channel_id: this.channelId });
      this.markHungUp(16, true);
      return;
    }
    const playbackId = this.currentPlayback;
    if (playbackId && !(await this.deps.control.playbackExists(playbackId))) {
      await this.note('reconcile.playback_finished_unseen', { playback_id: playbackId });
      this.onEvent({ type: 'PlaybackFinished', playback: { id: playbackId, target_uri: `channel:${this.channelId}`, state: 'done' } });
    }
  }

  // ---- SessionIo: what the verb handlers use

  get currentPlayback(): string | null {
    return this.playback;
  }

  setCurrentPlayback(playbackId: string | null): void {
    this.playback = playbackId;
  }

  nextLegIndex(): number {
    return ++this.legs;
  }

  waitFor(match: (e: AriEvent) => boolean, timeoutMs?: number): Promise<WaitResult> {
    if (this.hangup) return Promise.resolve(HUNGUP);
    return this.waiters.wait(match, timeoutMs, () => (this.resultAt = performance.now()));
  }

  setDtmfSink(sink: ((digit: string) => void) | null): void {
    this.dtmfSink = sink;
  }

  onHangup(listener: () => void): () => void {
    if (this.hangup) {
      listener();
      return () => {};
    }
    this.hangupListeners.add(listener);
    return () => this.hangupListeners.delete(listener);
  }

  markResult(): void {
    this.resultAt = performance.now();
  }

  /** Reports the time since the last result and returns it (ms), just before an ARI request of `verb`. */
  scheduled(verb: string): number | null {
    if (this.resultAt === null) return null;
    const ms = performance.now() - this.resultAt;
    this.resultAt = null;
    this.deps.onScheduled?.(verb, ms);
    return ms;
  }

  queueTimeline(entry: TimelineEntry): void {
    this.write(() => this.deps.store.step(this.callId, undefined, [entry]));
  }

  get callRow(): CallEntity {
    return this.call;
  }

  // ---- internals

  private startFlow(): Advance {
    return start(this.call.flowDocument as unknown as Flow, {
      context: { call_id: this.callId, from: this.call.from, to: this.call.to, direction: this.call.direction },
    });
  }

  /** The flow starts at once; the in-progress transition is written through the call's write queue. */
  private async onAnswered(event: string): Promise<void> {
    this.answered = true;
    this.call = { ...this.call, status: 'in-progress', answeredAt: new Date() };
    this.write(() => this.deps.store.transition(this.callId, 'in-progress', event).then(() => undefined));
    this.armTimeLimit(0);
  }

  private armTimeLimit(elapsedMs: number): void {
    const left = Math.max(0, this.call.timeLimitS * 1000 - elapsedMs);
    this.timeLimit = setTimeout(() => {
      void this.note('time_limit.reached', { time_limit_s: this.call.timeLimitS })
        .then(() => this.hangUp('normal'))
        .catch((err: unknown) => this.deps.log('warn', 'time limit hangup failed', { call_id: this.callId, reason: errText(err) }));
    }, left);
    this.timeLimit.unref();
  }

  private async runFlow(first: Advance): Promise<void> {
    let adv = first;
    // A verb's end is written in the same transaction as what comes next: one write per verb.
    let finished: TimelineEntry[] = [];
    try {
      for (;;) {
        // Once the far end is gone only a hangup command still makes sense; anything else ends the flow.
        if (this.hangup && adv.command && adv.command.kind !== 'hangup') adv = resume(adv.state, { kind: 'hungup' });
        const command = adv.command;
        this.commandStartedAt = this.resumedFrom;
        this.resumedFrom = null;
        this.persist(adv, command, finished);
        finished = [];
        if (!command) break;
        if (command.kind === 'hangup' && !this.hangup) this.requestedCause ??= ARI_REASON_CAUSE[command.reason];
        const result: StepResult = await this.deps.verbs.execute(this, command);
        finished = [{ kind: 'verb_finished', event: command.kind, step: { ...command.step }, detail: { ...result } }];
        adv = resume(adv.state, result);
      }
    } catch (err) {
      for (const entry of finished) this.queueTimeline(entry);
      this.deps.log('error', 'flow failed; hanging up', { call_id: this.callId, reason: errText(err) });
      await this.note('flow.error', { reason: errText(err) });
      await this.hangUp('normal').catch(() => undefined);
    }
    if (!this.hangup) {
      await this.waitFor(() => false, 10000);
    }
    await this.finish();
  }

  /** Writes the interpreter state with `before` (the previous verb's end), the flow's events and the next verb's start. */
  private persist(adv: Advance, command: Command | null, before: TimelineEntry[]): void {
    const entries: TimelineEntry[] = [...before, ...adv.events.map((e) => flowEventEntry(e))];
    if (command) {
      const detail = commandDetail(command);
      if (this.commandStartedAt !== null) detail.resumed_from = new Date(this.commandStartedAt).toISOString();
      entries.push({ kind: 'verb_started', event: command.kind, step: { ...command.step }, detail });
    }
    const state = adv.state;
    this.write(() => this.deps.store.step(this.callId, state, entries));
  }

  /** `final`: the cause of ChannelDestroyed, which wins over what a hangup request said before it. */
  private markHungUp(cause: number, final: boolean): void {
    if (this.hangup) {
      if (final) this.hangup.cause = cause;
      return;
    }
    this.hangup = { cause };
    this.dtmfSink = null;
    this.waiters.releaseAll();
    for (const listener of [...this.hangupListeners]) listener();
    this.hangupListeners.clear();
  }

  /**
   * Ends the call once: completed when it was answered, else by the Q.850 cause (busy, no-answer,
   * failed). The cause recorded is the one the gateway asked for when it hung up itself (Asterisk
   * may report another, e.g. 32 for a channel the application hung up), else the PBX's.
   */
  private async finish(event = 'ari.ChannelDestroyed'): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    if (this.timeLimit) clearTimeout(this.timeLimit);
    if (this.watchdog) clearTimeout(this.watchdog);
    const cause = this.requestedCause ?? q850Name(this.hangup?.cause ?? 16);
    const status = this.answered ? 'completed' : unansweredStatusFor(this.hangup?.cause ?? 0);
    this.write(() => this.deps.store.transition(this.callId, status, event, cause).then(() => undefined));
    await this.writes;
    this.deps.onEnded(this.callId);
  }

  /**
   * Whatever happens (events lost, a channel gone without a trace, a request never answered), the
   * call ends by its ring timeout + time limit + the margin, counted from its creation: the watchdog
   * notes why, hangs up best-effort and ends it with RECOVERY_ON_TIMER_EXPIRE.
   */
  private armWatchdog(): void {
    const deadline =
      new Date(this.call.createdAt ?? Date.now()).getTime() +
      (this.call.timeoutS + this.call.timeLimitS) * 1000 +
      this.deps.watchdogMarginMs;
    this.watchdog = setTimeout(() => void this.expire(deadline), Math.max(0, deadline - Date.now()));
    this.watchdog.unref();
  }

  private async expire(deadline: number): Promise<void> {
    if (this.finished) return;
    this.deps.onWatchdog?.();
    this.deps.log('warn', 'call watchdog expired; ending the call', { call_id: this.callId });
    this.queueTimeline({
      kind: 'note',
      event: 'watchdog.expired',
      detail: {
        reason: 'the call outlived its ring timeout + time limit + margin',
        deadline: new Date(deadline).toISOString(),
        status: this.call.status,
        answered: this.answered,
        hung_up: this.hangup !== null,
      },
    });
    // Whatever was asked before (a time-limit hangup that got no answer), the watchdog ended the call.
    this.requestedCause = 'RECOVERY_ON_TIMER_EXPIRE';
    await this.deps.control.hangup(this.channelId, 'normal').catch(() => undefined);
    this.markHungUp(102, true);
    await this.finish('watchdog.expired');
  }

  private async note(event: string, detail: Record<string, unknown>): Promise<void> {
    this.queueTimeline({ kind: 'note', event, detail });
    await this.writes;
  }

  /** Serializes this call's Postgres writes; a failed write is logged and does not stop the call. */
  private write(fn: () => Promise<void>): void {
    this.writes = this.writes.then(fn).catch((err: unknown) => {
      this.deps.log('error', 'call write failed', { call_id: this.callId, reason: errText(err) });
    });
  }
}

/** Q.850 cause names of the ARI hangup reasons the gateway sends (Asterisk ARI channels `DELETE /channels/{id}` `reason`). */
const ARI_REASON_CAUSE: Record<AriHangupReason, string> = {
  normal: 'NORMAL_CLEARING',
  busy: 'USER_BUSY',
  congestion: 'NORMAL_CIRCUIT_CONGESTION',
  no_answer: 'NO_ANSWER',
  rejected: 'CALL_REJECTED',
};

function errText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function commandDetail(c: Command): Record<string, unknown> {
  const { kind: _kind, step: _step, ...rest } = c as Command & { body?: unknown };
  if ('body' in rest) delete (rest as { body?: unknown }).body;
  return rest;
}

function flowEventEntry(e: FlowEvent): TimelineEntry {
  return { kind: 'note', event: `flow.${e.type}`, detail: { ...e } };
}
