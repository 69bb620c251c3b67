/**
 * The flow document, version 1, as TypeScript types. These mirror {@link flowSchema}
 * exactly; a value of type {@link Flow} is only trustworthy when it came out of
 * `validateFlow`. Durations in the DSL are whole seconds; omitted options take the
 * defaults in `limits.ts` (applied when a command is built, never written back
 * into the document).
 */

/** DSL version implemented by this library. */
export const FLOW_VERSION = 1;

/** Verb names, in the order the README documents them. */
export const VERBS = ['say', 'play', 'gather', 'dial', 'record', 'pause', 'hangup', 'redirect'] as const;
export type Verb = (typeof VERBS)[number];

/** Fields every step may carry (`hangup` and `redirect` take no `next`: they never fall through). */
interface StepBase {
  /** Names the step as a jump target: `^[a-z][a-z0-9_-]{0,63}$`, unique in its document. */
  label?: string;
  /** Label to continue with after the step instead of the following step. */
  next?: string;
}

/** `say` (jambonz `say`, TwiML `<Say>`, NCCO `talk`): text to speech. */
export interface SayStep extends StepBase {
  verb: 'say';
  /** 1..3000 characters. */
  text: string;
  /** Language/voice tag such as `en-us`; absent = the orchestrator's default voice. */
  voice?: string;
  /** Times to speak the text, 1..10 (default 1). */
  loop?: number;
}

/** `play` (jambonz `play`, TwiML `<Play>`, NCCO `stream`): an audio file or an Asterisk media URI. */
export interface PlayStep extends StepBase {
  verb: 'play';
  /** http(s) URL, or `sound:` / `recording:` / `digits:` / `number:` / `characters:` / `tone:` media URI. */
  url: string;
  /** Times to play, 1..10 (default 1). */
  loop?: number;
}

/** A gather prompt: a `say` or `play` without `label`/`next`; `loop` may be 0 (repeat until a digit or the timeout). */
export type GatherPrompt = Omit<SayStep, 'label' | 'next'> | Omit<PlayStep, 'label' | 'next'>;

/** `gather` (jambonz `gather`, TwiML `<Gather>`, NCCO `input`): collect DTMF digits, then branch or post them. */
export interface GatherStep extends StepBase {
  verb: 'gather';
  /** Input kinds; only `["digits"]` exists (default). */
  input?: 'digits'[];
  /** Exact number of digits; reaching it ends collection. Excludes `minDigits`/`maxDigits`. 1..64. */
  numDigits?: number;
  /** Fewest digits that count as an entry (default 1). 1..64. */
  minDigits?: number;
  /** Most digits; reaching it ends collection (default `numDigits`, else 20). 1..64. */
  maxDigits?: number;
  /** Key that ends collection and is not part of the digits: `#`, `*` or a digit (default `#`); `""` disables. */
  finishOnKey?: string;
  /** Seconds to wait for the first digit, counted from the end of the prompt (default 5). 1..120. */
  timeout?: number;
  /** Seconds to wait between digits (default = `timeout`). 1..120. */
  interDigitTimeout?: number;
  /** Played while waiting; the first key press interrupts it (barge-in). */
  prompt?: GatherPrompt;
  /** Digits -> label. Keys are DTMF strings (`0-9`, `*`, `#`), 1..64 long. */
  branches?: Record<string, string>;
  /** Label for digits that match no branch. */
  default?: string;
  /** Label for no digits at all (timeout, or the finish key alone). */
  onTimeout?: string;
  /** URL to POST the digits to; the verbs it returns replace the rest of the flow. Excludes `branches`/`default`/`onTimeout`. */
  actionHook?: string;
}

/** `dial` (jambonz `dial`, TwiML `<Dial>`, NCCO `connect`): call a number or SIP endpoint and bridge it. */
export interface DialStep extends StepBase {
  verb: 'dial';
  /** E.164 number (`+14155550100`), SIP URI (`sip:alice@example.com`) or endpoint (`PJSIP/alice`). */
  target: string;
  /** E.164 caller id presented to the dialled party. */
  callerId?: string;
  /** Seconds to ring before `no-answer` (default 30). 1..600. */
  timeout?: number;
  /** Maximum seconds the bridged call may last (default: no limit). 1..14400. */
  timeLimit?: number;
  /** Label when the result is `busy`. */
  onBusy?: string;
  /** Label when the result is `no-answer`. */
  onNoAnswer?: string;
  /** Label when the result is `failed`. */
  onFailed?: string;
}

/** `record` (jambonz `record`, TwiML `<Record>`, NCCO `record`): record the caller. */
export interface RecordStep extends StepBase {
  verb: 'record';
  /** Maximum seconds to record (default 60). 1..3600. */
  maxLength?: number;
  /** Key that stops the recording: `#`, `*`, `any` or `""` (none). Default `#`. (ARI `terminateOn` supports only these.) */
  finishOnKey?: '#' | '*' | 'any' | '';
  /** Play a beep before recording starts (default true; TwiML `playBeep`). */
  beep?: boolean;
}

/** `pause` (TwiML `<Pause>`, jambonz `pause`): silence. */
export interface PauseStep extends StepBase {
  verb: 'pause';
  /** Seconds of silence, 1..600. */
  length: number;
}

/** Hangup reasons a flow may give (TwiML `<Reject reason>` plus the common Q.850 outcomes). */
export const HANGUP_REASONS = ['normal', 'busy', 'rejected', 'no-answer', 'congestion'] as const;
export type HangupReason = (typeof HANGUP_REASONS)[number];

/** `hangup` (jambonz `hangup`, TwiML `<Hangup>`/`<Reject>`): end the call. */
export interface HangupStep {
  verb: 'hangup';
  label?: string;
  /** Default `normal`. */
  reason?: HangupReason;
}

/** `redirect` (jambonz `redirect`, TwiML `<Redirect>`): fetch the rest of the flow from a URL. */
export interface RedirectStep {
  verb: 'redirect';
  label?: string;
  /** http(s) URL returning a flow document or a bare array of steps. */
  url: string;
  /** Default `POST`. */
  method?: 'POST' | 'GET';
  /** Seconds to wait for the answer (default 5). 1..30. */
  timeout?: number;
  /** Label to continue with when the fetch fails or returns an invalid document; without it the call hangs up. */
  fallback?: string;
}

export type Step = SayStep | PlayStep | GatherStep | DialStep | RecordStep | PauseStep | HangupStep | RedirectStep;

/** A valid flow document. */
export interface Flow {
  version: 1;
  /** 1..500 steps, run in order. */
  steps: Step[];
}

/**
 * One problem found in a flow document.
 *
 * `path` is a JSON Pointer (RFC 6901) into the submitted document, e.g. `/steps/2/numDigits`;
 * `""` is the document itself. `code` is stable (see {@link FlowErrorCode}); `message` is for people.
 */
export interface FlowError {
  path: string;
  code: FlowErrorCode;
  message: string;
}

/**
 * Stable error codes:
 * - `bad_version`: `version` missing or not a supported DSL version (only `1`).
 * - `unknown_verb`: `verb` names no verb.
 * - `unknown_option`: a field the verb (or the document, or a gather prompt) does not take.
 * - `missing_option`: a required field is absent (`verb`, `text`, `url`, `target`, `length`, `steps`).
 * - `bad_type`: wrong JSON type.
 * - `out_of_range`: a number, length or count outside its bounds (also `minDigits` > `maxDigits`).
 * - `bad_value`: not one of the allowed values (`finishOnKey`, `reason`, `method`, `input`).
 * - `bad_format`: a string in the wrong shape (label, voice, dial target, caller id, branch digits).
 * - `bad_url`: a URL that is not http(s) (for `play`: nor a media URI).
 * - `conflicting_options`: two options that exclude each other (`actionHook` with branches; `numDigits` with min/max).
 * - `duplicate_label`: a label already used by an earlier step.
 * - `missing_label`: `next`, a branch, `default`, `onTimeout`, `onBusy`, `onNoAnswer`, `onFailed` or `fallback` names no label.
 * - `unmatchable_branch`: a branch key that collected digits can never equal.
 * - `gather_no_way_out`: a gather outcome (no digits, or digits matching no branch) leads to no step.
 * - `unreachable_step`: no path from the first step reaches the step.
 */
export type FlowErrorCode =
  | 'bad_version'
  | 'unknown_verb'
  | 'unknown_option'
  | 'missing_option'
  | 'bad_type'
  | 'out_of_range'
  | 'bad_value'
  | 'bad_format'
  | 'bad_url'
  | 'conflicting_options'
  | 'duplicate_label'
  | 'missing_label'
  | 'unmatchable_branch'
  | 'gather_no_way_out'
  | 'unreachable_step';

/** The outcome of `validateFlow`. */
export type FlowValidation = { ok: true; flow: Flow } | { ok: false; errors: FlowError[] };
