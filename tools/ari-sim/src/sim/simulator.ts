/**
 * The simulated Asterisk: channels and their life cycle (originate, create + dial, inbound
 * calls, answer, far-end behaviour from scenarios, hangup), with bridges and media delegated to
 * BridgeRegistry and MediaEngine. REST handlers and the control API call into this class; it
 * throws AriError for anything Asterisk would refuse.
 *
 * Event order per flow (what an application sees):
 *  - originate (app=...): Dial(dialstatus "") -> ChannelStateChange(Ringing) -> on answer
 *    ChannelStateChange(Up), Dial(ANSWER), StasisStart(args); on failure Dial(BUSY|CONGESTION|
 *    NOANSWER) -> ChannelDestroyed(17|34|21|19). No StasisStart, no StasisEnd.
 *  - create: StasisStart (state Down); dial: Dial("") -> ChannelStateChange(Ringing) -> Dial(ANSWER)
 *    + ChannelStateChange(Up), or Dial(status) -> ChannelHangupRequest -> StasisEnd -> ChannelDestroyed.
 *  - inbound (control API): StasisStart (state Ring, or Up when `answered`).
 *  - hangup (app or far end): ChannelHangupRequest -> PlaybackFinished/RecordingFinished of
 *    running media -> ChannelLeftBridge -> StasisEnd -> ChannelDestroyed(cause, cause_txt).
 *
 * Realistic mode (realism.ts) changes what Asterisk 23.4.1 was seen to do differently: outbound
 * channels have a Local `;2` half (ChannelStateChange Up before theirs; ChannelHangupRequest +
 * ChannelDestroyed before theirs when the far end ends the call, after them otherwise); inbound
 * channels get no ChannelDestroyed after StasisEnd; app hangups report cause 32.
 */
import { BridgeRegistry } from './bridges';
import { CallLog } from './call-log';
import { Cause, causeText, dialStatusForCause } from './causes';
import { SimChannel, type ChannelJson } from './channel';
import { Dialer, type CreateRequest, type DialerContext, type EndOptions, type OriginateRequest } from './dialer';
import { AriError } from './errors';
import { EventHub, type EventBody } from './event-hub';
import { IdGenerator } from './ids';
import { MediaEngine } from './media-engine';
import { APP_HANGUP_CAUSE, Realism, type SimMode } from './realism';
import { RecordingStore } from './recording-store';
import { farEndForCaller, parseFarEnd, type DigitStep, type ScenarioSet } from './scenarios';

export type { OriginateRequest, CreateRequest } from './dialer';

/** Fields of POST /_sim/inbound. */
export interface InboundRequest {
  from: string;
  to: string;
  app: string;
  fromName?: string;
  /** StasisStart args. */
  args?: string[];
  /** Create the channel already answered (state Up) instead of Ring. */
  answered?: boolean;
  channelId?: string;
  /** Endpoint the call arrives on (default `PJSIP/trunk`), used for the channel name. */
  endpoint?: string;
  /** Dialplan context reported in the channel (default `from-trunk`). */
  context?: string;
  /** Caller behaviour; default: rules matching `from`, else the default far end. */
  scenario?: unknown;
}

/** Settings of a simulator instance. */
export interface SimulatorOptions {
  asteriskId: string;
  recordingsDir: string;
  scenarios: ScenarioSet;
  /** Plain or realistic mode (default plain). */
  mode?: SimMode;
}

/** The simulated Asterisk. */
export class AriSimulator implements DialerContext {
  /** The mode and its seeded delays (switched by PUT /_sim/mode). */
  readonly realism: Realism;
  readonly hub: EventHub;
  readonly ids = new IdGenerator();
  readonly log = new CallLog();
  readonly store: RecordingStore;
  readonly media: MediaEngine;
  readonly bridges: BridgeRegistry;
  readonly startedAt = Date.now();
  scenarios: ScenarioSet;
  private readonly channels = new Map<string, SimChannel>();
  private readonly dialer = new Dialer(this);

  constructor(readonly options: SimulatorOptions) {
    this.realism = new Realism(options.mode);
    this.hub = new EventHub(options.asteriskId, () => this.realism.eventDelayMs());
    this.store = new RecordingStore(options.recordingsDir);
    this.scenarios = options.scenarios;
    this.media = new MediaEngine({
      emit: (ch, ev) => this.emit(ch, ev),
      log: this.log,
      store: this.store,
      ids: this.ids,
      media: () => this.scenarios.media,
      onPlaybackStarted: (ch, index) => this.onPlaybackStarted(ch, index),
      autoAnswer: (ch) => this.autoAnswer(ch),
    });
    this.bridges = new BridgeRegistry({
      channel: (id) => this.channels.get(id),
      emitTo: (app, ev) => this.hub.emit(app, ev),
      isRecording: (ch) => this.media.isRecording(ch),
      log: this.log,
      ids: this.ids,
    });
  }

  // ---- lookups ------------------------------------------------------------------------------

  /** All live channels. */
  listChannels(): SimChannel[] {
    return [...this.channels.values()];
  }

  /** A live channel or undefined. */
  lookup(id: string): SimChannel | undefined {
    return this.channels.get(id);
  }

  /** Adds a new channel to the registry (used by the dialer). */
  register(ch: SimChannel): void {
    this.channels.set(ch.id, ch);
  }

  /** @throws AriError 404 "Channel not found". */
  channel(id: string): SimChannel {
    const ch = this.channels.get(id);
    if (!ch) throw new AriError(404, 'Channel not found');
    return ch;
  }

  /** A channel under Stasis control (find_control): 404 if missing, 409 if not in Stasis. */
  controlled(id: string): SimChannel {
    const ch = this.channel(id);
    if (!ch.inStasis) throw new AriError(409, 'Channel not in Stasis application');
    return ch;
  }

  /** Like `controlled`, plus channel_state_invalid: 412 for unanswered outbound channels. */
  controlledAnswerable(id: string): SimChannel {
    const ch = this.controlled(id);
    if (ch.state === 'Down' || ch.state === 'Ringing') throw new AriError(412, 'Channel in invalid state');
    return ch;
  }

  // ---- outbound (dialer.ts) ----------------------------------------------------------------

  /** POST /channels: see Dialer.originate. @throws AriError 400, 409. */
  originate(req: OriginateRequest): ChannelJson {
    return this.dialer.originate(req);
  }

  /** POST /channels/create: see Dialer.create. @throws AriError 400, 409. */
  create(req: CreateRequest): ChannelJson {
    return this.dialer.create(req);
  }

  /** POST /channels/{id}/dial: see Dialer.dial. @throws AriError 404, 409. */
  dial(id: string, callerId: string | undefined, timeoutS: number): void {
    this.dialer.dial(id, callerId, timeoutS);
  }

  // ---- inbound ------------------------------------------------------------------------------

  /**
   * A call arrives from the network and the dialplan sends it to Stasis(app): StasisStart with
   * caller number `from` and dialplan exten `to`.
   * @throws AriError 409 when the application has no event socket (Stasis would fail), 400 for bad input.
   */
  inbound(req: InboundRequest): SimChannel {
    if (!this.hub.isRegistered(req.app)) throw new AriError(409, `Stasis application '${req.app}' is not registered (no event WebSocket)`);
    if (req.channelId && this.channels.has(req.channelId)) throw new AriError(409, 'Channel with given unique ID already exists');
    const endpoint = req.endpoint || 'PJSIP/trunk';
    const farEnd =
      req.scenario === undefined
        ? farEndForCaller(this.scenarios, req.from)
        : parseFarEnd(req.scenario, 'scenario', this.scenarios.default);
    const args = req.args ?? [];
    const ch = new SimChannel({
      id: req.channelId || this.ids.channelId(),
      name: this.ids.channelName(endpoint),
      state: req.answered ? 'Up' : 'Ring',
      direction: 'inbound',
      endpoint,
      dialstring: '',
      caller: { name: req.fromName ?? '', number: req.from },
      connected: { name: '', number: '' },
      dialplan: {
        context: req.context || 'from-trunk',
        exten: req.to,
        priority: 1,
        app_name: 'Stasis',
        app_data: [req.app, ...args].join(','),
      },
      farEnd,
      app: req.app,
    });
    this.channels.set(ch.id, ch);
    this.log.open({ channelId: ch.id, name: ch.name, direction: 'inbound', endpoint, number: req.to, from: req.from, app: req.app });
    this.log.add(ch.id, 'inbound', { from: req.from, to: req.to, answered: Boolean(req.answered) });
    ch.playbackDigitSteps = farEnd.digits.filter((d) => d.afterPlaybackStartMs !== undefined);
    ch.inStasis = true;
    this.emit(ch, { type: 'StasisStart', args, channel: ch.toJson() });
    this.log.add(ch.id, 'stasis-start', { app: req.app, args });
    if (req.answered) this.startFarEndClock(ch);
    else if (farEnd.abandonAfterMs !== undefined) {
      ch.later(farEnd.abandonAfterMs, () => {
        if (ch.state !== 'Up') this.farEndHangup(ch.id, Cause.NORMAL_CLEARING);
      });
    }
    return ch;
  }

  // ---- channel operations -------------------------------------------------------------------

  /** POST /channels/{id}/answer. @throws AriError 404, 409, 412. */
  answer(id: string): void {
    const ch = this.controlledAnswerable(id);
    this.log.add(ch.id, 'answer');
    if (ch.state !== 'Up') this.answered(ch);
  }

  /** Answers an inbound channel before a recording (ast_auto_answer); false for unanswered outbound channels. */
  private autoAnswer(ch: SimChannel): boolean {
    if (ch.state === 'Up') return true;
    if (ch.state !== 'Ring') return false;
    this.answered(ch);
    return true;
  }

  /**
   * DELETE /channels/{id}: hangup with `cause` (from reason/reason_code). Cancels a ringing dial
   * (Dial CANCEL). Realistic mode reports cause 32 whatever was asked (APP_HANGUP_CAUSE); hanging
   * up a Local `;2` half hangs its `;1` up as its far end would.
   * @throws AriError 404.
   */
  hangup(id: string, cause: number): void {
    const ch = this.channel(id);
    this.log.add(ch.id, 'hangup', { by: 'app', cause });
    const reported = this.realism.realistic ? APP_HANGUP_CAUSE : cause;
    const owner = ch.localOwner;
    // Stasis hangs the channel up asynchronously: the 204 goes out before the events.
    if (owner) ch.later(0, () => this.farEndEnds(owner, reported));
    else
      ch.later(0, () =>
        this.end(ch, reported, { by: 'app', hangupRequest: true, soft: true, ...(ch.dialing ? { dialstatus: 'CANCEL' } : {}) }),
      );
  }

  /**
   * The far end hangs up (scenario hangupAfterMs, abandonAfterMs, or POST /_sim/channels/{id}/hangup).
   * Before answer this is a rejection: Dial with the status of `cause` (NOANSWER for most, BUSY
   * for 17, CONGESTION for 34, CHANUNAVAIL for 3 and 20) for a dialing channel. For a Local `;2`
   * half, its `;1` channel is the one whose far end hangs up.
   * @throws AriError 404.
   */
  farEndHangup(id: string, cause: number = Cause.NORMAL_CLEARING): void {
    const ch = this.channel(id);
    this.farEndEnds(ch.localOwner ?? ch, cause);
  }

  private farEndEnds(ch: SimChannel, cause: number): void {
    if (ch.destroyed) return;
    this.log.add(ch.id, 'far-end-hangup', { cause });
    // The far end sits behind the Local `;2` half: the half goes first.
    this.endLocalHalf(ch, cause);
    if (ch.dialing) {
      ch.dialing = false;
      this.emit(ch, {
        type: 'Dial',
        peer: ch.toJson(),
        dialstring: ch.dialstring,
        dialstatus: dialStatusForCause(cause),
      });
      this.end(ch, cause, { by: 'far-end', hangupRequest: ch.inStasis });
      return;
    }
    this.end(ch, cause, { by: 'far-end', hangupRequest: true });
  }

  /**
   * The far end presses DTMF now: ChannelDtmfReceived per digit (`gapMs` apart) and recording
   * termination. @throws AriError 404; 400 for non-DTMF characters.
   */
  pressDigits(id: string, digits: string, durationMs = 100, gapMs = 200): void {
    const ch = this.channel(id);
    if (!/^[0-9A-Da-d*#]+$/.test(digits)) throw new AriError(400, 'digits must be DTMF characters (0-9, A-D, *, #)');
    this.pressSequence(ch, { digits: digits.toUpperCase(), playback: 1, gapMs, durationMs });
  }

  /**
   * POST /channels/{id}/move (Asterisk ARI channels.json, since 13.26.0/16.3.0): the channel leaves
   * its Stasis application (StasisEnd there) and enters `app` (StasisStart with `args`); its media
   * and bridge stay. @throws AriError 404; 409 when the channel is not in Stasis.
   */
  move(id: string, app: string, args: string[]): void {
    const ch = this.controlled(id);
    this.log.add(ch.id, 'move', { from: ch.app ?? null, to: app });
    this.emit(ch, { type: 'StasisEnd', channel: ch.toJson() });
    ch.app = app;
    this.emit(ch, { type: 'StasisStart', args, channel: ch.toJson() });
  }

  /** POST /channels/{id}/continue: leaves Stasis; the simulated dialplan then hangs up (no more events). */
  continueInDialplan(id: string, target: { context?: string; extension?: string; priority?: number }): void {
    const ch = this.controlledAnswerable(id);
    this.log.add(ch.id, 'continue', { ...target });
    this.media.hangup(ch);
    if (ch.bridgeId) this.bridges.leave(ch);
    ch.inStasis = false;
    this.emit(ch, { type: 'StasisEnd', channel: ch.toJson() });
    ch.app = undefined;
    ch.later(100, () => this.end(ch, Cause.NORMAL_CLEARING, { by: 'sim', hangupRequest: false }));
  }

  /** Sets a channel variable; ChannelVarset when `report`. */
  setVariable(id: string, name: string, value: string, report: boolean): void {
    const ch = this.controlled(id);
    ch.variables.set(name, value);
    this.log.add(ch.id, 'variable-set', { variable: name, value });
    if (report) this.emit(ch, { type: 'ChannelVarset', variable: name, value, channel: ch.toJson() });
  }

  /** Reads a channel variable or CALLERID(num|name); undefined when unset. @throws AriError 404. */
  getVariable(id: string, name: string): string | undefined {
    const ch = this.channel(id);
    const fn = /^CALLERID\((num|name)\)$/i.exec(name);
    if (fn) return fn[1]?.toLowerCase() === 'num' ? ch.caller.number : ch.caller.name;
    return ch.variables.get(name);
  }

  // ---- far end ------------------------------------------------------------------------------

  /** The channel is answered: state Up (ChannelStateChange) and the far end's answer clock starts. */
  answered(ch: SimChannel): void {
    ch.answeredAt = Date.now();
    this.setState(ch, 'Up');
    this.log.update(ch.id, { answeredAt: new Date(ch.answeredAt).toISOString() });
    this.log.add(ch.id, 'answered');
    this.startFarEndClock(ch);
  }

  /** Arms the answer-relative far-end behaviour: digits at atMs, hangup at hangupAfterMs. */
  private startFarEndClock(ch: SimChannel): void {
    const fe = ch.farEnd;
    for (const step of fe.digits) if (step.atMs !== undefined) ch.later(step.atMs, () => this.pressSequence(ch, step));
    if (ch.direction === 'outbound') ch.playbackDigitSteps = fe.digits.filter((d) => d.afterPlaybackStartMs !== undefined);
    if (fe.hangupAfterMs !== undefined) ch.later(fe.hangupAfterMs, () => this.farEndHangup(ch.id, Cause.NORMAL_CLEARING));
  }

  private onPlaybackStarted(ch: SimChannel, index: number): void {
    for (const step of ch.playbackDigitSteps) {
      if (step.playback === index) ch.later(step.afterPlaybackStartMs ?? 0, () => this.pressSequence(ch, step));
    }
  }

  /** Presses the step's characters from `index` on, each `gapMs` after the one before. */
  private pressSequence(ch: SimChannel, step: DigitStep, index = 0): void {
    const digit = step.digits[index];
    if (digit === undefined) return;
    // Chained rather than all timed from the start: timers of different durations can fire out
    // of order under load, and digits must arrive in order.
    ch.later(index === 0 ? 0 : step.gapMs, () => {
      this.log.add(ch.id, 'dtmf-received', { digit, durationMs: step.durationMs });
      this.emit(ch, { type: 'ChannelDtmfReceived', digit, duration_ms: step.durationMs, channel: ch.toJson() });
      this.media.onDtmf(ch, digit);
      this.pressSequence(ch, step, index + 1);
    });
  }

  // ---- plumbing -----------------------------------------------------------------------------

  /**
   * Puts a channel into Stasis(app, args). With `deferEvent` the channel is in Stasis at once
   * but StasisStart goes out on the next tick (after the REST answer, as the channel thread
   * of /channels/create sends it).
   */
  enterStasis(ch: SimChannel, app: string, args: string[], deferEvent = false): void {
    if (!this.hub.isRegistered(app)) {
      // Stasis() fails for an application without a WebSocket; the dialplan then hangs up.
      this.log.add(ch.id, 'stasis-failed', { app, reason: 'application not registered' });
      ch.later(0, () => this.end(ch, Cause.NORMAL_CLEARING, { by: 'sim', hangupRequest: false }));
      return;
    }
    ch.app = app;
    ch.inStasis = true;
    ch.dialplan = { ...ch.dialplan, app_name: 'Stasis', app_data: [app, ...args].join(',') };
    const send = (): void => {
      this.emit(ch, { type: 'StasisStart', args, channel: ch.toJson() });
      this.log.add(ch.id, 'stasis-start', { app, args });
    };
    if (deferEvent) ch.later(0, send);
    else send();
  }

  /** Changes the state and emits ChannelStateChange (no-op when unchanged). */
  setState(ch: SimChannel, state: SimChannel['state']): void {
    if (ch.state === state) return;
    ch.state = state;
    this.emit(ch, { type: 'ChannelStateChange', channel: ch.toJson() });
  }

  /** Ends a channel: the hangup event sequence, then it is gone (GET answers 404). */
  end(ch: SimChannel, cause: number, opts: EndOptions): void {
    if (ch.destroyed) return;
    ch.clearTimers();
    if (opts.hangupRequest)
      this.emit(ch, { type: 'ChannelHangupRequest', cause, ...(opts.soft ? { soft: true } : {}), channel: ch.toJson() });
    if (opts.dialstatus) this.emit(ch, { type: 'Dial', peer: ch.toJson(), dialstring: ch.dialstring, dialstatus: opts.dialstatus });
    this.media.hangup(ch);
    if (ch.bridgeId) this.bridges.leave(ch);
    if (ch.inStasis) {
      ch.inStasis = false;
      this.emit(ch, { type: 'StasisEnd', channel: ch.toJson() });
    }
    ch.destroyed = true;
    // Realistic: leaving Stasis unsubscribes the app from a channel that came from the dialplan,
    // so its ChannelDestroyed never reaches the app (observed on Asterisk 23.4.1).
    if (!(this.realism.realistic && ch.direction === 'inbound')) {
      this.emit(ch, { type: 'ChannelDestroyed', cause, cause_txt: causeText(cause), channel: ch.toJson() });
    }
    this.channels.delete(ch.id);
    this.log.add(ch.id, 'destroyed', { cause, causeTxt: causeText(cause) });
    this.log.update(ch.id, { endedAt: new Date().toISOString(), cause, causeTxt: causeText(cause), endedBy: opts.by });
    this.endLocalHalf(ch, cause);
  }

  /**
   * Hangs up the Local `;2` half of `ch`, if it has a live one: ChannelHangupRequest then
   * ChannelDestroyed with `cause` (a Local pair passes the hangup cause across), then it is gone.
   */
  endLocalHalf(ch: SimChannel, cause: number): void {
    const half = ch.localHalf;
    if (!half || half.destroyed) return;
    half.clearTimers();
    half.destroyed = true;
    this.emit(half, { type: 'ChannelHangupRequest', cause, channel: half.toJson() });
    this.emit(half, { type: 'ChannelDestroyed', cause, cause_txt: causeText(cause), channel: half.toJson() });
    this.channels.delete(half.id);
  }

  /**
   * POST /_sim/channels/{id}/vanish: the channel (and its Local `;2` half) disappears without a
   * single event, as if Asterisk lost it: GET /channels/{id} answers 404 and the app never hears
   * of it. Its media stop silently and it leaves its bridge silently.
   * @throws AriError 404.
   */
  vanish(id: string): void {
    const ch = this.channel(id);
    for (const c of [ch, ch.localHalf]) {
      if (!c || c.destroyed) continue;
      c.destroyed = true;
      c.clearTimers();
      this.media.forget(c);
      this.bridges.forget(c);
      this.channels.delete(c.id);
    }
    this.log.add(ch.id, 'vanished');
    this.log.update(ch.id, { endedAt: new Date().toISOString(), endedBy: 'sim' });
  }

  /** Sends an event to the channel's application (dropped if it has none). */
  emit(ch: SimChannel, event: EventBody): void {
    if (ch.app !== undefined) this.hub.emit(ch.app, event);
  }

  // ---- control ------------------------------------------------------------------------------

  /**
   * Back to a clean state: every channel is hung up by the far end (events are sent), bridges,
   * media, the call log and stored recordings are cleared, scenarios return to `scenarios` and
   * the mode to `mode`.
   */
  reset(scenarios: ScenarioSet, mode: SimMode): void {
    // A `;2` half ends with its `;1`.
    for (const ch of [...this.channels.values()]) {
      if (!ch.localOwner) this.end(ch, Cause.NORMAL_CLEARING, { by: 'sim', hangupRequest: true });
    }
    this.bridges.clear();
    this.media.clear();
    this.log.clear();
    for (const r of this.store.list()) this.store.delete(r.name);
    this.scenarios = scenarios;
    this.realism.set(mode);
    this.hub.accept();
  }

  /** Stops every timer (shutdown); channels and undelivered events are dropped. */
  stop(): void {
    this.hub.dropPending();
    for (const ch of this.channels.values()) {
      ch.destroyed = true;
      ch.clearTimers();
    }
    this.channels.clear();
    this.media.clear();
  }
}
