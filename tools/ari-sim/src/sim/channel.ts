/**
 * One simulated channel: its ARI snapshot fields (channels.json Channel) plus the simulator's
 * bookkeeping (owning application, Stasis membership, bridge, far-end scenario, timers, media
 * command queue).
 */
import type { DigitStep, FarEnd } from './scenarios';
import { ariTimestamp } from './time';

/** The channel states the simulator uses (a subset of Channel.state). */
export type ChannelState = 'Down' | 'Ring' | 'Ringing' | 'Up';

/** CallerID model. */
export interface CallerId {
  name: string;
  number: string;
}

/** DialplanCEP model. */
export interface DialplanCep {
  context: string;
  exten: string;
  priority: number;
  app_name: string;
  app_data: string;
}

/** The Channel model as serialized in responses and events. */
export interface ChannelJson {
  id: string;
  name: string;
  state: ChannelState;
  protocol_id: string;
  caller: CallerId;
  connected: CallerId;
  accountcode: string;
  dialplan: DialplanCep;
  creationtime: string;
  language: string;
}

/** A queued media command (playback or recording), run one at a time per channel like Stasis does. */
export interface MediaJob {
  start(): void;
  /** Drops the job without events (channel gone before it started). */
  discard(): void;
}

/** Construction fields of a channel. */
export interface ChannelInit {
  id: string;
  name: string;
  state: ChannelState;
  direction: 'outbound' | 'inbound';
  endpoint: string;
  dialstring: string;
  caller: CallerId;
  connected: CallerId;
  dialplan: DialplanCep;
  farEnd: FarEnd;
  app?: string;
  createdByAri?: boolean;
}

/** A live channel. */
export class SimChannel {
  readonly id: string;
  readonly name: string;
  state: ChannelState;
  readonly direction: 'outbound' | 'inbound';
  readonly endpoint: string;
  readonly dialstring: string;
  caller: CallerId;
  connected: CallerId;
  dialplan: DialplanCep;
  readonly creationtime = ariTimestamp();
  language = 'en';
  readonly variables = new Map<string, string>();
  /** Application the channel's events go to (subscribed at originate/create, or the Stasis app). */
  app: string | undefined;
  inStasis = false;
  bridgeId: string | undefined;
  farEnd: FarEnd;
  /** Created by POST /channels/create (only those may be dialed with POST /channels/{id}/dial). */
  readonly createdByAri: boolean;
  /** Outbound dial in progress (before answer or failure). */
  dialing = false;
  /** Dial was started (originate, or POST .../dial). */
  dialed = false;
  destroyed = false;
  answeredAt: number | undefined;
  /** Playbacks started so far (for DigitStep.playback). */
  playbacksStarted = 0;
  /** Far-end digit steps timed from playback starts, armed but not yet fired. */
  playbackDigitSteps: DigitStep[] = [];
  /** Media commands waiting for the current one to finish. */
  readonly mediaQueue: MediaJob[] = [];
  mediaBusy = false;
  /** Realistic mode: the `;2` half of the Local channel pair this outbound channel is the `;1` of. */
  localHalf: SimChannel | undefined;
  /** On a `;2` half: the `;1` channel it belongs to. */
  localOwner: SimChannel | undefined;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(init: ChannelInit) {
    this.id = init.id;
    this.name = init.name;
    this.state = init.state;
    this.direction = init.direction;
    this.endpoint = init.endpoint;
    this.dialstring = init.dialstring;
    this.caller = init.caller;
    this.connected = init.connected;
    this.dialplan = init.dialplan;
    this.farEnd = init.farEnd;
    this.app = init.app;
    this.createdByAri = init.createdByAri ?? false;
  }

  /** The Channel model. */
  toJson(): ChannelJson {
    return {
      id: this.id,
      name: this.name,
      state: this.state,
      protocol_id: '',
      caller: { ...this.caller },
      connected: { ...this.connected },
      accountcode: '',
      dialplan: { ...this.dialplan },
      creationtime: this.creationtime,
      language: this.language,
    };
  }

  /** Runs `fn` after `ms` milliseconds unless the channel is destroyed first. */
  later(ms: number, fn: () => void): NodeJS.Timeout {
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (!this.destroyed) fn();
    }, ms);
    this.timers.add(t);
    return t;
  }

  /** Cancels one timer made by `later`. */
  cancel(t: NodeJS.Timeout | undefined): void {
    if (!t) return;
    clearTimeout(t);
    this.timers.delete(t);
  }

  /** Cancels every pending timer (on destroy). */
  clearTimers(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}

/**
 * Splits an ARI callerId the way ast_callerid_parse does: `"Name" <+1555>` and `Name <+1555>`
 * give name and number, `+1555` a number only, a non-numeric string a name only.
 */
export function parseCallerId(raw: string | undefined): CallerId {
  if (!raw) return { name: '', number: '' };
  const m = /^\s*"?([^"<]*?)"?\s*<([^>]*)>\s*$/.exec(raw);
  if (m) return { name: (m[1] ?? '').trim(), number: (m[2] ?? '').trim() };
  const s = raw.trim();
  return /^[+\d*#()\-. ]+$/.test(s) ? { name: '', number: s.replace(/[()\-. ]/g, '') } : { name: s, number: '' };
}
