import type { Flow, FlowError, Verb } from './types';

/**
 * Which step issued a command, for the call timeline. `document` counts flow documents
 * in this call: 0 is the flow the call started with, each redirect/actionHook that
 * replaces the flow adds 1 (indexes and labels refer to that document).
 */
export interface StepRef {
  document: number;
  index: number;
  label: string | null;
  verb: Verb;
}

/** Speak text (from `say`, or a gather prompt when `step` is absent). */
export interface SayCommand {
  kind: 'say';
  step: StepRef;
  text: string;
  /** Voice/language tag, or null for the orchestrator's default. */
  voice: string | null;
  /** Repetitions, 1..10 (0 only in a gather prompt: repeat until a key or the timeout). */
  loop: number;
}

/** Play a URL or media URI. */
export interface PlayCommand {
  kind: 'play';
  step: StepRef;
  url: string;
  loop: number;
}

/** A gather prompt: a say or play without its own step reference. */
export type PromptCommand = Omit<SayCommand, 'step'> | Omit<PlayCommand, 'step'>;

/**
 * Collect DTMF digits (drive a `DigitCollector` with this command). Answer with a
 * `gathered` result. `finishOnKey` is `''` when disabled; `numDigits` is null unless the
 * step set it (then `minDigits` = `maxDigits` = `numDigits`).
 */
export interface GatherCommand {
  kind: 'gather';
  step: StepRef;
  prompt: PromptCommand | null;
  numDigits: number | null;
  minDigits: number;
  maxDigits: number;
  finishOnKey: string;
  timeoutMs: number;
  interDigitTimeoutMs: number;
}

/** Dial a target and bridge it to the call. Answer with a `dialed` result. */
export interface DialCommand {
  kind: 'dial';
  step: StepRef;
  /** E.164 number, `sip:`/`sips:` URI or `PJSIP/` endpoint, as written in the flow. */
  target: string;
  callerId: string | null;
  /** Ring time before giving up with `no-answer`. */
  timeoutMs: number;
  /** Maximum length of the bridged call, or null for no limit. */
  timeLimitMs: number | null;
}

/** Record the caller. Answer with a `recorded` result. `finishOnKey` maps to ARI `terminateOn` (`''` = `none`). */
export interface RecordCommand {
  kind: 'record';
  step: StepRef;
  maxLengthMs: number;
  finishOnKey: '#' | '*' | 'any' | '';
  /** Play a beep before recording (ARI `beep`). */
  beep: boolean;
}

/** Stay silent. Answer with `done`. */
export interface PauseCommand {
  kind: 'pause';
  step: StepRef;
  ms: number;
}

/** Scalar values sent in fetch bodies. */
export type Scalar = string | number | boolean | null;

/**
 * Fetch verbs from a project URL. Answer with a `fetched` result carrying the parsed JSON
 * body (a flow document or a bare array of steps). `body` is flat (scalars only): send it
 * as JSON for POST, as query parameters for GET. It holds the start context, the call's
 * variables (see `CallState.vars`) and `purpose`, `flow_document`, `step_index`, `step_label`.
 */
export interface FetchCommand {
  kind: 'fetch';
  step: StepRef;
  purpose: 'redirect' | 'actionHook';
  url: string;
  method: 'POST' | 'GET';
  timeoutMs: number;
  body: Record<string, Scalar>;
}

/** ARI `DELETE /channels/{id}?reason=` values the interpreter uses. */
export type AriHangupReason = 'normal' | 'busy' | 'rejected' | 'no_answer' | 'congestion';

/**
 * Why the interpreter hangs up: a `hangup` verb, running off the end of the flow, the
 * command budget, or a failed redirect without `fallback`.
 */
export type HangupCause = 'verb' | 'end_of_flow' | 'step_budget' | 'fetch_failed';

/** Hang up the call with an ARI reason. The flow has ended: no result is expected. */
export interface HangupCommand {
  kind: 'hangup';
  /** The hangup step, the step that ran off the end, the step the budget stopped, or the failed redirect. */
  step: StepRef;
  reason: AriHangupReason;
  cause: HangupCause;
}

/** What the orchestrator must do next. */
export type Command = SayCommand | PlayCommand | GatherCommand | DialCommand | RecordCommand | PauseCommand | FetchCommand | HangupCommand;

/** Why digit collection ended. */
export type GatherReason = 'num_digits' | 'finish_key' | 'timeout' | 'inter_digit_timeout' | 'max_digits';

/** `dial_call_status` values (TwiML `DialCallStatus`). */
export type DialCallStatus = 'completed' | 'busy' | 'no-answer' | 'failed' | 'canceled';

/** A say, play or pause finished. */
export interface DoneResult {
  kind: 'done';
}
/** A gather ended: `digits` excludes the finish key (empty on `timeout`). */
export interface GatheredResult {
  kind: 'gathered';
  digits: string;
  reason: GatherReason;
}
/** A dial ended; `durationS` is the bridged time in seconds, when known. */
export interface DialedResult {
  kind: 'dialed';
  status: DialCallStatus;
  durationS?: number;
}
/** A recording ended; `durationS` in seconds. */
export interface RecordedResult {
  kind: 'recorded';
  recordingId: string;
  durationS: number;
}
/** A fetch ended. `ok` is false on a network error, timeout or non-2xx; `verbs` is the parsed JSON body. */
export interface FetchedResult {
  kind: 'fetched';
  ok: boolean;
  verbs?: unknown;
}
/** The caller hung up (or the channel is gone): the flow ends, no command follows. */
export interface HungupResult {
  kind: 'hungup';
}

/** What the orchestrator reports back after carrying out a command. */
export type StepResult = DoneResult | GatheredResult | DialedResult | RecordedResult | FetchedResult | HungupResult;

/** Call variables, updated from results and sent in fetch bodies (jambonz/TwiML names). */
export interface FlowVars {
  digits?: string;
  gather_reason?: GatherReason;
  dial_call_status?: DialCallStatus;
  dial_call_duration?: number | null;
  recording_id?: string;
  recording_duration?: number;
}

/**
 * Everything the interpreter knows about one call; plain JSON, so the orchestrator can
 * persist it after every step and resume after a restart with `resume(JSON.parse(saved), result)`.
 */
export interface CallState {
  /** Format of this object (bumped if it ever changes incompatibly). */
  format: 1;
  /** The document being run (the original flow, or the verbs a redirect/actionHook returned). */
  flow: Flow;
  /** Number of the current document: 0, then +1 per replacement. */
  document: number;
  /** Index of the step whose command is outstanding (or that ended the flow). */
  pc: number;
  /** Result kind expected next, or null once the flow has ended. */
  awaiting: Exclude<StepResult['kind'], 'hungup'> | null;
  /** Non-hangup commands issued so far, and the budget. */
  commands: number;
  maxCommands: number;
  vars: FlowVars;
  /** Caller-supplied scalars (call id, from, to...) sent with every fetch. */
  context: Record<string, Scalar>;
  /** Why the flow ended, once it has. */
  ended: HangupCause | 'far_end_hangup' | null;
}

/** What happened between two commands, for the timeline. */
export type FlowEvent =
  | {
      type: 'jump';
      from: StepRef;
      /** Index in the same document, or `end`. */
      to: number | 'end';
      /** The option that chose the target (`next`, `branch`, `default`, `onTimeout`, `onBusy`, `onNoAnswer`, `onFailed`, `fallback`) or `sequence`. */
      via: JumpVia;
    }
  | { type: 'flow_replaced'; from: StepRef; purpose: 'redirect' | 'actionHook'; document: number; steps: number }
  | {
      type: 'fetch_failed';
      from: StepRef;
      purpose: 'redirect' | 'actionHook';
      reason: 'request_failed' | 'invalid_verbs';
      errors: FlowError[];
    }
  | { type: 'ended'; cause: HangupCause | 'far_end_hangup' };

export type JumpVia = 'sequence' | 'next' | 'branch' | 'default' | 'onTimeout' | 'onBusy' | 'onNoAnswer' | 'onFailed' | 'fallback';

/** The interpreter's answer: the new state, the command to carry out (null once the flow has ended), and what happened. */
export interface Advance {
  state: CallState;
  command: Command | null;
  events: FlowEvent[];
}
