import type { FlowError } from './types';

/**
 * Why the interpreter or the digit collector refused a call. These are the orchestrator's
 * programming errors, never the caller's or the flow author's:
 * - `invalid_flow`: `start` got a document `validateFlow` rejects (`errors` lists why).
 * - `bad_start_options`: `maxCommands` not a positive integer, or `context` not an object of scalars.
 * - `bad_state`: `resume` got something that is not a `CallState` of a known format.
 * - `unexpected_result`: the result does not answer the outstanding command (e.g. `dialed` while a gather runs).
 * - `bad_result`: the result is malformed (digits that are not DTMF, an unknown dial status, a negative duration...).
 * - `flow_ended`: a result other than `hungup` after the flow ended.
 * - `bad_event`: the digit collector got an event it cannot understand.
 */
export type FlowRuntimeErrorCode =
  'invalid_flow' | 'bad_start_options' | 'bad_state' | 'unexpected_result' | 'bad_result' | 'flow_ended' | 'bad_event';

/** Thrown by `start`, `resume` and the digit collector on misuse; see {@link FlowRuntimeErrorCode}. */
export class FlowRuntimeError extends Error {
  override readonly name = 'FlowRuntimeError';

  constructor(
    readonly code: FlowRuntimeErrorCode,
    message: string,
    readonly errors: FlowError[] = [],
  ) {
    super(message);
  }
}
