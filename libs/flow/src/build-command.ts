import type { AriHangupReason, Command, GatherCommand, PromptCommand, Scalar, StepRef } from './commands';
import { LIMITS } from './limits';
import { digitBounds } from './semantics';
import type { GatherPrompt, GatherStep, HangupReason, Step } from './types';

const SECOND = 1000;

/** DSL hangup reasons -> ARI hangup reasons. */
export const ARI_HANGUP_REASON: Record<HangupReason, AriHangupReason> = {
  normal: 'normal',
  busy: 'busy',
  rejected: 'rejected',
  'no-answer': 'no_answer',
  congestion: 'congestion',
};

/** The command a step issues, defaults applied and seconds turned into ms. `body` is used by `redirect` only. */
export function buildCommand(step: Step, ref: StepRef, body: Record<string, Scalar>): Command {
  switch (step.verb) {
    case 'say':
      return { kind: 'say', step: ref, text: step.text, voice: step.voice ?? null, loop: step.loop ?? LIMITS.loop.default };
    case 'play':
      return { kind: 'play', step: ref, url: step.url, loop: step.loop ?? LIMITS.loop.default };
    case 'gather':
      return gatherCommand(step, ref);
    case 'dial':
      return {
        kind: 'dial',
        step: ref,
        target: step.target,
        callerId: step.callerId ?? null,
        timeoutMs: (step.timeout ?? LIMITS.dial.timeoutDefault) * SECOND,
        timeLimitMs: step.timeLimit === undefined ? null : step.timeLimit * SECOND,
      };
    case 'record':
      return {
        kind: 'record',
        step: ref,
        maxLengthMs: (step.maxLength ?? LIMITS.record.maxLengthDefault) * SECOND,
        finishOnKey: step.finishOnKey ?? LIMITS.record.finishOnKeyDefault,
        beep: step.beep ?? LIMITS.record.beepDefault,
      };
    case 'pause':
      return { kind: 'pause', step: ref, ms: step.length * SECOND };
    case 'hangup':
      return { kind: 'hangup', step: ref, reason: ARI_HANGUP_REASON[step.reason ?? 'normal'], cause: 'verb' };
    case 'redirect':
      return {
        kind: 'fetch',
        step: ref,
        purpose: 'redirect',
        url: step.url,
        method: step.method ?? LIMITS.fetch.methodDefault,
        timeoutMs: (step.timeout ?? LIMITS.fetch.timeoutDefault) * SECOND,
        body,
      };
  }
}

/** The POST of a gather's digits to its actionHook. */
export function actionHookCommand(step: GatherStep & { actionHook: string }, ref: StepRef, body: Record<string, Scalar>): Command {
  return {
    kind: 'fetch',
    step: ref,
    purpose: 'actionHook',
    url: step.actionHook,
    method: 'POST',
    timeoutMs: LIMITS.fetch.timeoutDefault * SECOND,
    body,
  };
}

function gatherCommand(step: GatherStep, ref: StepRef): GatherCommand {
  const { minDigits, maxDigits } = digitBounds(step);
  const timeout = step.timeout ?? LIMITS.gather.timeoutDefault;
  return {
    kind: 'gather',
    step: ref,
    prompt: step.prompt === undefined ? null : promptCommand(step.prompt),
    numDigits: step.numDigits ?? null,
    minDigits,
    maxDigits,
    finishOnKey: step.finishOnKey ?? LIMITS.gather.finishOnKeyDefault,
    timeoutMs: timeout * SECOND,
    interDigitTimeoutMs: (step.interDigitTimeout ?? timeout) * SECOND,
  };
}

function promptCommand(prompt: GatherPrompt): PromptCommand {
  if (prompt.verb === 'say')
    return { kind: 'say', text: prompt.text, voice: prompt.voice ?? null, loop: prompt.loop ?? LIMITS.loop.default };
  return { kind: 'play', url: prompt.url, loop: prompt.loop ?? LIMITS.loop.default };
}
