/**
 * The flow document, version 1, as TypeScript types. These mirror {@link flowSchema}
 * exactly; a value of type {@link Flow} is only trustworthy when it came out of
 * `validateFlow`. Each verb's step type lives in its module (`verbs/<verb>.ts`).
 * Durations in the DSL are whole seconds; omitted options take the defaults in
 * `limits.ts` (applied when a command is built, never written back into the document).
 */
import type { StepOf, VERB_MODULES } from './verbs';

/** DSL version implemented by this library. */
export const FLOW_VERSION = 1;

/** Fields every step that falls through may carry (`hangup` and `redirect` take no `next`). */
export interface StepBase {
  /** Names the step as a jump target: `^[a-z][a-z0-9_-]{0,63}$`, unique in its document. */
  label?: string;
  /** Label to continue with after the step instead of the following step. */
  next?: string;
}

/** A step of any verb: the union of the step types of the modules registered in `verbs/index.ts`. */
export type Step = StepOf<(typeof VERB_MODULES)[number]>;
/** A verb name. */
export type Verb = Step['verb'];

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
