import type { Advance, CallState, Command, FlowEvent, FlowVars, JumpVia, Scalar, StepRef, StepResult } from './commands';
import { FlowRuntimeError } from './errors';
import { fallThrough, labelIndex } from './graph';
import { DEFAULT_MAX_COMMANDS } from './limits';
import { checkResult } from './results';
import type { Flow, FlowError, Step } from './types';
import { validateFlow } from './validate';
import { verbOf } from './verbs';
import { actionHookCommand } from './verbs/gather';
import type { GatherStep } from './verbs/gather';
import type { CommandContext } from './verbs/verb-module';

/** Options of {@link start}. */
export interface StartOptions {
  /** Scalars sent with every fetch (e.g. `call_id`, `from`, `to`, `direction`). Call variables and fetch fields win on a name clash. */
  context?: Record<string, Scalar>;
  /** Non-hangup commands one call may receive; the next one becomes a `hangup` with cause `step_budget`. Default 1000. */
  maxCommands?: number;
}

/**
 * Starts running a flow for one call: returns the initial state and the first command.
 * The flow is validated again (cheap) and copied into the state, so the state never
 * shares objects with the caller.
 *
 * @throws FlowRuntimeError `invalid_flow` (with `errors`) or `bad_start_options`.
 */
export function start(flow: Flow, options: StartOptions = {}): Advance {
  const checked = validateFlow(flow);
  if (!checked.ok)
    throw new FlowRuntimeError(
      'invalid_flow',
      `the flow is invalid: ${checked.errors[0].path} ${checked.errors[0].message}`,
      checked.errors,
    );
  const maxCommands = options.maxCommands ?? DEFAULT_MAX_COMMANDS;
  if (!Number.isInteger(maxCommands) || maxCommands < 1)
    throw new FlowRuntimeError('bad_start_options', 'maxCommands must be a positive integer');
  const context = options.context ?? {};
  if (!isScalarRecord(context))
    throw new FlowRuntimeError('bad_start_options', 'context must be an object of strings, numbers, booleans or nulls');
  const state: CallState = {
    format: 1,
    flow: checked.flow,
    document: 0,
    pc: 0,
    awaiting: null,
    commands: 0,
    maxCommands,
    vars: {},
    context: { ...context },
    ended: null,
  };
  return enter(state, 0, []);
}

/**
 * Feeds the result of the outstanding command and returns the next command. Pure: the
 * given state is not modified, and a state that went through JSON gives the same answer.
 *
 * - `done` (say/play/pause), `recorded`: continue with `next` or the following step.
 * - `gathered`: with an actionHook, POST the digits (`fetch`); else no digits -> `onTimeout`,
 *   digits equal to a branch key -> that branch, other digits -> `default`;
 *   an absent label means `next` or the following step.
 * - `dialed`: `busy`/`no-answer`/`failed` -> `onBusy`/`onNoAnswer`/`onFailed` when set; else continue.
 * - `fetched`: valid verbs replace the document and run from its first step; a failure or
 *   invalid verbs go to the redirect's `fallback` (else hang up, cause `fetch_failed`) or, for an
 *   actionHook, continue after the gather.
 * - `hungup`: the flow ends; `command` is null. Also accepted (and ignored) after the flow ended.
 * Running off the end of the document returns a `hangup` (reason `normal`, cause `end_of_flow`).
 *
 * @throws FlowRuntimeError `bad_state`, `flow_ended`, `unexpected_result` or `bad_result`.
 */
export function resume(state: CallState, result: StepResult): Advance {
  checkState(state);
  if (state.ended !== null) {
    if (result?.kind === 'hungup') return { state, command: null, events: [] };
    throw new FlowRuntimeError('flow_ended', `the flow has ended (${state.ended}); only "hungup" is accepted`);
  }
  checkResult(result);
  const s: CallState = { ...state, vars: { ...state.vars } };
  if (result.kind === 'hungup') {
    s.awaiting = null;
    s.ended = 'far_end_hangup';
    return { state: s, command: null, events: [{ type: 'ended', cause: 'far_end_hangup' }] };
  }
  if (result.kind !== s.awaiting)
    throw new FlowRuntimeError('unexpected_result', `expected a "${s.awaiting}" result, got "${result.kind}"`);

  const step = s.flow.steps[s.pc];
  const events: FlowEvent[] = [];
  switch (result.kind) {
    case 'done':
      return proceed(s, events);
    case 'gathered': {
      s.vars.digits = result.digits;
      s.vars.gather_reason = result.reason;
      const gather = step as GatherStep;
      if (gather.actionHook !== undefined)
        return issue(s, s.pc, actionHookCommand({ ...gather, actionHook: gather.actionHook }, commandContext(s, s.pc)), events);
      return afterGather(s, gather, result.digits, events);
    }
    case 'dialed': {
      s.vars.dial_call_status = result.status;
      s.vars.dial_call_duration = result.durationS ?? null;
      if (step.verb !== 'dial') break;
      const branch =
        result.status === 'busy'
          ? (['onBusy', step.onBusy] as const)
          : result.status === 'no-answer'
            ? (['onNoAnswer', step.onNoAnswer] as const)
            : result.status === 'failed'
              ? (['onFailed', step.onFailed] as const)
              : undefined;
      if (branch !== undefined && branch[1] !== undefined) return jump(s, branch[1], branch[0], events);
      return proceed(s, events);
    }
    case 'recorded':
      s.vars.recording_id = result.recordingId;
      s.vars.recording_duration = result.durationS;
      return proceed(s, events);
    case 'fetched':
      return afterFetch(s, step, result.ok, result.verbs, events);
  }
  throw new FlowRuntimeError('bad_state', `step ${s.pc} (${step.verb}) cannot be awaiting "${result.kind}"`);
}

/**
 * The command a state is waiting on, rebuilt from the state alone: what to re-issue after
 * the orchestrator restarts with a persisted state. Equals the `command` of the `Advance`
 * that produced the state. After the interpreter's own hangup (`verb`, `end_of_flow`,
 * `step_budget`, `fetch_failed`) it is that hangup again (hanging up twice is harmless);
 * after a far-end hangup it is null. Does not count against the command budget.
 *
 * @throws FlowRuntimeError `bad_state`.
 */
export function currentCommand(state: CallState): Command | null {
  checkState(state);
  const step = state.flow.steps[state.pc];
  switch (state.ended) {
    case null:
      break;
    case 'far_end_hangup':
      return null;
    case 'verb':
      return commandAt(state, state.pc);
    default:
      return { kind: 'hangup', step: ref(state, state.pc), reason: 'normal', cause: state.ended };
  }
  if (step.verb === 'gather' && step.actionHook !== undefined && state.awaiting === 'fetched') {
    return actionHookCommand({ ...step, actionHook: step.actionHook }, commandContext(state, state.pc));
  }
  return commandAt(state, state.pc);
}

function afterGather(s: CallState, step: GatherStep, digits: string, events: FlowEvent[]): Advance {
  if (digits === '') return step.onTimeout === undefined ? proceed(s, events) : jump(s, step.onTimeout, 'onTimeout', events);
  // Branch keys are validated to lie within minDigits..maxDigits, so a short entry matches none.
  const branch = step.branches !== undefined && Object.hasOwn(step.branches, digits) ? step.branches[digits] : undefined;
  if (branch !== undefined) return jump(s, branch, 'branch', events);
  return step.default === undefined ? proceed(s, events) : jump(s, step.default, 'default', events);
}

function afterFetch(s: CallState, step: Step, ok: boolean, verbs: unknown, events: FlowEvent[]): Advance {
  const purpose = step.verb === 'redirect' ? 'redirect' : 'actionHook';
  const from = ref(s, s.pc);
  const parsed = ok ? parseFetched(verbs) : undefined;
  if (parsed !== undefined && parsed.ok) {
    s.flow = parsed.flow;
    s.document += 1;
    events.push({ type: 'flow_replaced', from, purpose, document: s.document, steps: parsed.flow.steps.length });
    return enter(s, 0, events);
  }
  events.push({
    type: 'fetch_failed',
    from,
    purpose,
    reason: parsed === undefined ? 'request_failed' : 'invalid_verbs',
    errors: parsed?.errors ?? [],
  });
  if (step.verb === 'redirect') {
    if (step.fallback !== undefined) return jump(s, step.fallback, 'fallback', events);
    return hangup(s, s.pc, 'fetch_failed', events);
  }
  return proceed(s, events);
}

/** Fetched JSON: a flow document, or a bare array of steps (wrapped as a version 1 document). */
function parseFetched(verbs: unknown): { ok: true; flow: Flow } | { ok: false; errors: FlowError[] } {
  if (Array.isArray(verbs)) return validateFlow({ version: 1, steps: verbs });
  if (verbs !== null && typeof verbs === 'object') return validateFlow(verbs);
  return { ok: false, errors: [{ path: '', code: 'bad_type', message: 'the response must be a flow document or an array of steps' }] };
}

/** Continue after the current step: its `next` label, else the following step, else the end. */
function proceed(s: CallState, events: FlowEvent[]): Advance {
  const step = s.flow.steps[s.pc];
  const target = fallThrough(s.flow, s.pc, labelIndex(s.flow));
  if (target === undefined) throw new FlowRuntimeError('bad_state', `step ${s.pc} jumps to a missing label`);
  const via: JumpVia = 'next' in step && step.next !== undefined ? 'next' : 'sequence';
  events.push({ type: 'jump', from: ref(s, s.pc), to: target, via });
  if (target === 'end') return hangup(s, s.pc, 'end_of_flow', events);
  return enter(s, target, events);
}

function jump(s: CallState, label: string, via: JumpVia, events: FlowEvent[]): Advance {
  const target = labelIndex(s.flow).get(label);
  if (target === undefined) throw new FlowRuntimeError('bad_state', `label "${label}" does not exist in document ${s.document}`);
  events.push({ type: 'jump', from: ref(s, s.pc), to: target, via });
  return enter(s, target, events);
}

/** Runs step `index`: issues its command (or the budget hangup). */
function enter(s: CallState, index: number, events: FlowEvent[]): Advance {
  return issue(s, index, commandAt(s, index), events);
}

/** The command step `index` issues, built by its verb's module. */
function commandAt(s: CallState, index: number): Command {
  const step = s.flow.steps[index];
  return verbOf(step).command(step, commandContext(s, index));
}

function commandContext(s: CallState, index: number): CommandContext {
  return { ref: ref(s, index), fetchBody: (purpose) => fetchBody({ ...s, pc: index }, purpose) };
}

function issue(s: CallState, index: number, command: Command, events: FlowEvent[]): Advance {
  s.pc = index;
  if (command.kind === 'hangup') {
    s.awaiting = null;
    s.ended = command.cause;
    events.push({ type: 'ended', cause: command.cause });
    return { state: s, command, events };
  }
  if (s.commands >= s.maxCommands) return hangup(s, index, 'step_budget', events);
  s.commands += 1;
  s.awaiting = AWAITS[command.kind];
  return { state: s, command, events };
}

const AWAITS: Record<Exclude<Command['kind'], 'hangup'>, NonNullable<CallState['awaiting']>> = {
  say: 'done',
  play: 'done',
  pause: 'done',
  gather: 'gathered',
  dial: 'dialed',
  record: 'recorded',
  fetch: 'fetched',
};

function hangup(s: CallState, index: number, cause: 'end_of_flow' | 'step_budget' | 'fetch_failed', events: FlowEvent[]): Advance {
  return issue(s, index, { kind: 'hangup', step: ref(s, index), reason: 'normal', cause }, events);
}

function ref(s: CallState, index: number): StepRef {
  const step = s.flow.steps[index];
  return { document: s.document, index, label: step.label ?? null, verb: step.verb };
}

function fetchBody(s: CallState, purpose: 'redirect' | 'actionHook'): Record<string, Scalar> {
  const vars: Record<string, Scalar> = {};
  for (const [k, v] of Object.entries(s.vars) as Array<[keyof FlowVars, Scalar | undefined]>) if (v !== undefined) vars[k] = v;
  return { ...s.context, ...vars, purpose, flow_document: s.document, step_index: s.pc, step_label: s.flow.steps[s.pc].label ?? null };
}

function isScalarRecord(value: unknown): value is Record<string, Scalar> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  return Object.values(value).every((v) => v === null || ['string', 'number', 'boolean'].includes(typeof v));
}

function checkState(state: CallState): void {
  const s = state as Partial<CallState> | null | undefined;
  const ok =
    s !== null &&
    typeof s === 'object' &&
    s.format === 1 &&
    typeof s.flow === 'object' &&
    s.flow !== null &&
    Array.isArray(s.flow.steps) &&
    Number.isInteger(s.pc) &&
    (s.pc as number) >= 0 &&
    (s.pc as number) < s.flow.steps.length &&
    Number.isInteger(s.commands) &&
    Number.isInteger(s.maxCommands) &&
    typeof s.vars === 'object' &&
    typeof s.context === 'object';
  if (!ok) throw new FlowRuntimeError('bad_state', 'not a CallState of format 1');
}
