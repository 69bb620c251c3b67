/**
 * Outbound channels: POST /channels (originate), POST /channels/create and
 * POST /channels/{id}/dial (resource_channels.c, main/dial.c, res/stasis/control.c). The far
 * end follows the scenario of the dialed number: Dial(dialstatus "") at the start, Ringing
 * 10 ms later, then at `answerAfterMs` Up + Dial(ANSWER) (and StasisStart for originate) or a
 * failure Dial(BUSY|CONGESTION|NOANSWER) and the channel's destruction (17, 34, 21 or the
 * rejectCause, whose Dial status may be CHANUNAVAIL); `noanswer` rings until the dial timeout
 * (Dial NOANSWER, cause 19).
 *
 * Realistic mode: every outbound channel is the `;1` of a Local channel pair whose `;2` half
 * (core_unreal.c: id `<channelId>;2` unless otherChannelId is given, state Ring) goes Up just
 * before it and, when the far end ends the call, is destroyed just before it.
 */
import { Cause, dialStatusForCause } from './causes';
import { SimChannel, parseCallerId, type ChannelJson } from './channel';
import type { CallLog } from './call-log';
import { AriError } from './errors';
import type { EventBody } from './event-hub';
import type { IdGenerator } from './ids';
import type { Realism } from './realism';
import { dialedNumber, farEndForEndpoint, type ScenarioSet } from './scenarios';

/** Delay between the start of a dial and the Ringing state (ms). */
const RINGING_AFTER_MS = 10;

/** Fields of POST /channels (and /channels/{channelId}). */
export interface OriginateRequest {
  endpoint?: string;
  extension?: string;
  context?: string;
  priority?: number;
  app?: string;
  appArgs?: string;
  callerId?: string;
  /** Seconds; -1 = none; 0 = 30 s (resource_channels.c). */
  timeout?: number;
  channelId?: string;
  /** Id of the Local `;2` half (realistic mode only). */
  otherChannelId?: string;
  originator?: string;
  formats?: string;
  variables?: Record<string, unknown>;
}

/** Fields of POST /channels/create. */
export type CreateRequest = Pick<
  OriginateRequest,
  'endpoint' | 'app' | 'appArgs' | 'channelId' | 'otherChannelId' | 'originator' | 'formats' | 'variables'
>;

/** How a channel ends (AriSimulator.end). */
export interface EndOptions {
  by: 'app' | 'far-end' | 'dial' | 'sim';
  /** Emit ChannelHangupRequest first (soft for app hangups). */
  hangupRequest: boolean;
  soft?: boolean;
  /** Dial status to publish right after the hangup request (app cancels a ringing dial). */
  dialstatus?: string;
}

/** The channel life-cycle operations the dialer uses (implemented by AriSimulator). */
export interface DialerContext {
  readonly ids: IdGenerator;
  readonly log: CallLog;
  readonly scenarios: ScenarioSet;
  readonly realism: Realism;
  lookup(id: string): SimChannel | undefined;
  register(ch: SimChannel): void;
  controlled(id: string): SimChannel;
  emit(ch: SimChannel, event: EventBody): void;
  setState(ch: SimChannel, state: SimChannel['state']): void;
  answered(ch: SimChannel): void;
  enterStasis(ch: SimChannel, app: string, args: string[], deferEvent?: boolean): void;
  end(ch: SimChannel, cause: number, opts: EndOptions): void;
  endLocalHalf(ch: SimChannel, cause: number): void;
}

/** Places outbound calls. */
export class Dialer {
  constructor(private readonly sim: DialerContext) {}

  /**
   * POST /channels: creates the channel (state Down) and starts dialing it; the far end then
   * follows the scenario for its number.
   * @throws AriError 400 for invalid parameters, 409 for a channelId in use.
   */
  originate(req: OriginateRequest): ChannelJson {
    const endpoint = this.checkEndpoint(req.endpoint, req.originator, req.formats);
    if (!req.app && !req.extension) throw new AriError(400, 'Application or extension must be specified');
    const variables = this.checkVariables(req.variables);
    const ch = this.newOutbound(endpoint, req.channelId, req.otherChannelId, req.callerId, req.app);
    for (const [k, v] of variables) ch.variables.set(k, v);
    const timeoutS = req.timeout ?? 30;
    const timeoutMs = timeoutS > 0 ? timeoutS * 1000 : timeoutS === -1 ? undefined : 30_000;
    this.sim.log.add(ch.id, 'originate', {
      endpoint,
      app: req.app,
      appArgs: req.appArgs,
      extension: req.extension,
      callerId: req.callerId,
      timeoutS,
    });
    ch.later(0, () =>
      this.startDial(ch, timeoutMs, undefined, () => {
        if (req.app) this.sim.enterStasis(ch, req.app, splitArgs(req.appArgs));
        else
          ch.dialplan = {
            context: req.context || 'default',
            exten: req.extension ?? 's',
            priority: req.priority || 1,
            app_name: '',
            app_data: '',
          };
      }),
    );
    return ch.toJson();
  }

  /**
   * POST /channels/create: creates the channel (state Down) inside the Stasis app right away
   * (StasisStart); POST /channels/{id}/dial dials it.
   * @throws AriError 400 / 409 as originate.
   */
  create(req: CreateRequest): ChannelJson {
    const endpoint = this.checkEndpoint(req.endpoint, req.originator, req.formats);
    if (!req.app) throw new AriError(400, 'Missing required parameter: app');
    const variables = this.checkVariables(req.variables);
    const ch = this.newOutbound(endpoint, req.channelId, req.otherChannelId, undefined, req.app, true);
    for (const [k, v] of variables) ch.variables.set(k, v);
    this.sim.log.add(ch.id, 'create', { endpoint, app: req.app, appArgs: req.appArgs });
    this.sim.enterStasis(ch, req.app, splitArgs(req.appArgs), true);
    return ch.toJson();
  }

  /**
   * POST /channels/{id}/dial: dials a channel made by /channels/create.
   * @throws AriError 404, 409 (not in Stasis, not Down, not created by ARI).
   */
  dial(id: string, callerId: string | undefined, timeoutS: number): void {
    const ch = this.sim.controlled(id);
    if (ch.state !== 'Down' || ch.dialed) throw new AriError(409, "Channel is not in the 'Down' state");
    if (!ch.createdByAri) throw new AriError(409, 'Dialing a channel not created by ARI');
    const caller = callerId ? this.sim.lookup(callerId) : undefined;
    if (caller) ch.connected = { ...caller.caller };
    this.sim.log.add(ch.id, 'dial', { caller: callerId, timeoutS });
    ch.later(0, () => this.startDial(ch, timeoutS > 0 ? timeoutS * 1000 : undefined, caller));
  }

  private newOutbound(
    endpoint: string,
    channelId: string | undefined,
    otherChannelId: string | undefined,
    callerIdRaw: string | undefined,
    app: string | undefined,
    createdByAri = false,
  ): SimChannel {
    if (channelId && this.sim.lookup(channelId) !== undefined) throw new AriError(409, 'Channel with given unique ID already exists');
    const realistic = this.sim.realism.realistic;
    // As core_unreal.c names the second half when only the first id is assigned.
    const halfId = otherChannelId || (channelId ? `${channelId};2` : undefined);
    if (realistic && halfId && (halfId === channelId || this.sim.lookup(halfId) !== undefined)) {
      throw new AriError(409, 'Channel with given unique ID already exists');
    }
    const callerId = parseCallerId(callerIdRaw);
    const slash = endpoint.indexOf('/');
    const ch = new SimChannel({
      id: channelId || this.sim.ids.channelId(),
      name: this.sim.ids.channelName(endpoint),
      state: 'Down',
      direction: 'outbound',
      endpoint,
      dialstring: endpoint.slice(slash + 1),
      caller: callerId,
      connected: { ...callerId },
      dialplan: createdByAri
        ? { context: 'default', exten: 's', priority: 1, app_name: 'Stasis', app_data: app ?? '' }
        : { context: 'default', exten: 's', priority: 1, app_name: 'AppDial2', app_data: '(Outgoing Line)' },
      farEnd: farEndForEndpoint(this.sim.scenarios, endpoint),
      app,
      createdByAri,
    });
    this.sim.register(ch);
    this.sim.log.open({
      channelId: ch.id,
      name: ch.name,
      direction: 'outbound',
      endpoint,
      number: dialedNumber(endpoint),
      from: callerId.number,
      ...(app ? { app } : {}),
    });
    if (realistic) this.newLocalHalf(ch, halfId || this.sim.ids.channelId());
    return ch;
  }

  /** The `;2` half of an outbound channel: in the dialplan (state Ring), not in Stasis, events to the same app. */
  private newLocalHalf(first: SimChannel, id: string): void {
    const number = dialedNumber(first.endpoint);
    const at = first.endpoint.indexOf('@');
    // `Local/100@ctx/n`: the context ends before the options.
    const localContext = first.endpoint.toLowerCase().startsWith('local/') && at >= 0 ? first.endpoint.slice(at + 1).split('/')[0] : '';
    const half = new SimChannel({
      id,
      name: this.sim.ids.localHalfName(first.name, number),
      state: 'Ring',
      direction: 'outbound',
      endpoint: first.endpoint,
      dialstring: '',
      caller: { ...first.caller },
      connected: { ...first.connected },
      dialplan: {
        context: localContext || 'from-gateway',
        exten: number,
        priority: 1,
        app_name: '',
        app_data: '',
      },
      farEnd: first.farEnd,
      app: first.app,
    });
    half.localOwner = first;
    first.localHalf = half;
    this.sim.register(half);
  }

  /** Dial progress per the far end: Dial(""), Ringing, then answer or a failure status. */
  private startDial(ch: SimChannel, timeoutMs: number | undefined, caller: SimChannel | undefined, onAnswer?: () => void): void {
    const fe = ch.farEnd;
    ch.dialing = true;
    ch.dialed = true;
    const dialEvent = (dialstatus: string): EventBody => ({
      type: 'Dial',
      ...(caller ? { caller: caller.toJson() } : {}),
      peer: ch.toJson(),
      dialstring: ch.dialstring,
      dialstatus,
    });
    this.sim.emit(ch, dialEvent(''));
    /** `farEnd`: the far end ended the dial, so the Local `;2` half goes first. */
    const fail = (status: string, cause: number, farEnd = true): void => {
      if (!ch.dialing) return;
      ch.dialing = false;
      if (farEnd) this.sim.endLocalHalf(ch, cause);
      this.sim.emit(ch, dialEvent(status));
      this.sim.log.add(ch.id, 'dial-failed', { dialstatus: status, cause });
      this.sim.end(ch, cause, { by: 'dial', hangupRequest: ch.inStasis });
    };
    const timer = timeoutMs === undefined ? undefined : ch.later(timeoutMs, () => fail('NOANSWER', Cause.NO_ANSWER, false));
    const ringAt = Math.min(RINGING_AFTER_MS, fe.answerAfterMs);
    ch.later(ringAt, () => {
      this.sim.setState(ch, 'Ringing');
      this.sim.log.add(ch.id, 'ringing');
      // Timed from Ringing rather than from the dial: a lagging event loop may run timers of
      // different durations out of order, and the outcome must not come before Ringing.
      const decide = (fn: () => void): void => {
        ch.later(fe.answerAfterMs - ringAt, fn);
      };
      switch (fe.outcome) {
        case 'answer':
          decide(() => {
            ch.cancel(timer);
            ch.dialing = false;
            if (ch.localHalf) this.sim.setState(ch.localHalf, 'Up');
            this.sim.answered(ch);
            this.sim.emit(ch, dialEvent('ANSWER'));
            onAnswer?.();
          });
          break;
        case 'busy':
          decide(() => fail('BUSY', Cause.USER_BUSY));
          break;
        case 'congestion':
          decide(() => fail('CONGESTION', Cause.NORMAL_CIRCUIT_CONGESTION));
          break;
        case 'reject': {
          // ast_dial reports a pre-answer hangup with ast_hangup_cause_to_dial_status(cause): 21 gives NOANSWER.
          const cause = fe.rejectCause ?? Cause.CALL_REJECTED;
          decide(() => fail(dialStatusForCause(cause), cause));
          break;
        }
        case 'noanswer':
          break; // rings until the dial timeout (or forever without one)
      }
    });
  }

  private checkEndpoint(endpoint: string | undefined, originator: string | undefined, formats: string | undefined): string {
    if (!endpoint) throw new AriError(400, 'Endpoint must be specified');
    if (originator && formats) throw new AriError(400, "Originator and formats can't both be specified");
    const slash = endpoint.indexOf('/');
    if (slash <= 0 || slash === endpoint.length - 1) throw new AriError(400, 'Invalid endpoint specified');
    if (originator && !this.sim.lookup(originator)) throw new AriError(400, 'Provided originator channel was not found');
    return endpoint;
  }

  private checkVariables(raw: Record<string, unknown> | undefined): Array<[string, string]> {
    if (!raw) return [];
    return Object.entries(raw).map(([k, v]) => {
      if (typeof v !== 'string') throw new AriError(400, "Only string values in the 'variables' object allowed");
      return [k, v];
    });
  }
}

/** Splits appArgs the way Stasis() splits its application arguments (by comma). */
export function splitArgs(appArgs: string | undefined): string[] {
  return appArgs ? appArgs.split(',') : [];
}
