// The flow DSL: schema, validator, interpreter and digit collector. Pure: no I/O, no clock.
export { flowSchema } from './schema';
export { validateFlow, MAX_REPORTED_ERRORS } from './validate';
export { flowOutbound } from './outbound';
export type { FlowOutbound } from './outbound';
export { currentCommand, resume, start } from './interpreter';
export type { StartOptions } from './interpreter';
export { DigitCollector } from './digit-collector';
export type { CollectorEvent, CollectorOutput, CollectorSnapshot, CollectorTimer } from './digit-collector';
export { FlowRuntimeError } from './errors';
export type { FlowRuntimeErrorCode } from './errors';
export { SAMPLE_FLOW } from './sample-flow';
export { FLOW_VERSION } from './types';
export type { Flow, FlowError, FlowErrorCode, FlowValidation, Step, Verb } from './types';
export { VERBS } from './verbs';
export type { SayStep } from './verbs/say';
export type { PlayStep } from './verbs/play';
export type { GatherPrompt, GatherStep } from './verbs/gather';
export type { DialStep } from './verbs/dial';
export type { RecordStep } from './verbs/record';
export type { PauseStep } from './verbs/pause';
export { HANGUP_REASONS } from './verbs/hangup';
export type { HangupReason, HangupStep } from './verbs/hangup';
export type { RedirectStep } from './verbs/redirect';
export { DEFAULT_MAX_COMMANDS } from './limits';
export type {
  Advance,
  AriHangupReason,
  CallState,
  Command,
  DialCallStatus,
  DialCommand,
  DialedResult,
  DoneResult,
  FetchCommand,
  FetchedResult,
  FlowEvent,
  FlowVars,
  GatherCommand,
  GatheredResult,
  GatherReason,
  HangupCause,
  HangupCommand,
  HungupResult,
  JumpVia,
  PauseCommand,
  PlayCommand,
  PromptCommand,
  RecordCommand,
  RecordedResult,
  SayCommand,
  Scalar,
  StepRef,
  StepResult,
} from './commands';
