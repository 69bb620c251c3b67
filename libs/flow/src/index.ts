// The flow DSL: schema, validator, interpreter and digit collector. Pure: no I/O, no clock.
export { flowSchema } from './schema';
export { validateFlow, MAX_REPORTED_ERRORS } from './validate';
export { currentCommand, resume, start } from './interpreter';
export type { StartOptions } from './interpreter';
export { DigitCollector } from './digit-collector';
export type { CollectorEvent, CollectorOutput, CollectorSnapshot, CollectorTimer } from './digit-collector';
export { FlowRuntimeError } from './errors';
export type { FlowRuntimeErrorCode } from './errors';
export { SAMPLE_FLOW } from './sample-flow';
export { FLOW_VERSION, HANGUP_REASONS, VERBS } from './types';
export type {
  DialStep,
  Flow,
  FlowError,
  FlowErrorCode,
  FlowValidation,
  GatherPrompt,
  GatherStep,
  HangupReason,
  HangupStep,
  PauseStep,
  PlayStep,
  RecordStep,
  RedirectStep,
  SayStep,
  Step,
  Verb,
} from './types';
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
