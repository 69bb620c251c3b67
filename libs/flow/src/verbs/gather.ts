import type { FetchCommand, GatherCommand, PromptCommand } from '../commands';
import { LIMITS } from '../limits';
import { escapePointer } from '../pointer';
import { flowControl, int, ref, verbConst } from '../schema-parts';
import type { FlowError, StepBase } from '../types';
import { playFields, playOptions } from './play';
import type { PlayStep } from './play';
import { sayFields, sayOptions } from './say';
import type { SayStep } from './say';
import type { CommandContext, StepSite, VerbModule } from './verb-module';
import { secondsToMs } from './verb-module';

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

const G = LIMITS.gather;
const digitCount = (description: string, dflt?: number) => int(LIMITS.digits.min, LIMITS.digits.max, description, dflt);

/** Effective digit bounds of a gather, defaults applied (`numDigits` sets both). */
export function digitBounds(step: GatherStep): { minDigits: number; maxDigits: number } {
  if (step.numDigits !== undefined) return { minDigits: step.numDigits, maxDigits: step.numDigits };
  return { minDigits: step.minDigits ?? G.minDigitsDefault, maxDigits: step.maxDigits ?? G.maxDigitsDefault };
}

/** Is this gather in actionHook mode (its outcomes are POSTed, not branched on)? */
export function usesActionHook(step: GatherStep): boolean {
  return step.actionHook !== undefined;
}

/** The POST of a gather's digits to its actionHook (the gather's second command, after `gathered`). */
export function actionHookCommand(step: GatherStep & { actionHook: string }, context: CommandContext): FetchCommand {
  return {
    kind: 'fetch',
    step: context.ref,
    purpose: 'actionHook',
    url: step.actionHook,
    method: 'POST',
    timeoutMs: secondsToMs(LIMITS.fetch.timeoutDefault),
    body: context.fetchBody('actionHook'),
  };
}

function promptCommand(prompt: GatherPrompt): PromptCommand {
  return prompt.verb === 'say' ? { kind: 'say', ...sayFields(prompt) } : { kind: 'play', ...playFields(prompt) };
}

function gatherCommand(step: GatherStep, context: CommandContext): GatherCommand {
  const { minDigits, maxDigits } = digitBounds(step);
  const timeout = step.timeout ?? G.timeoutDefault;
  return {
    kind: 'gather',
    step: context.ref,
    prompt: step.prompt === undefined ? null : promptCommand(step.prompt),
    numDigits: step.numDigits ?? null,
    minDigits,
    maxDigits,
    finishOnKey: step.finishOnKey ?? G.finishOnKeyDefault,
    timeoutMs: secondsToMs(timeout),
    interDigitTimeoutMs: secondsToMs(step.interDigitTimeout ?? timeout),
  };
}

/** Digit ranges and branch keys that can never match, and a last gather with no way out (see the README). */
function checkGather(step: GatherStep, site: StepSite): FlowError[] {
  const errors: FlowError[] = [];
  const at = site.path;
  const { minDigits, maxDigits } = digitBounds(step);
  if (minDigits > maxDigits) {
    const by = step.maxDigits === undefined ? ` (${G.maxDigitsDefault} by default)` : '';
    errors.push({
      path: `${at}/minDigits`,
      code: 'out_of_range',
      message: `"minDigits" (${minDigits}) exceeds "maxDigits" (${maxDigits}${by})`,
    });
  }
  const finishKey = step.finishOnKey ?? G.finishOnKeyDefault;
  for (const key of Object.keys(step.branches ?? {})) {
    const why =
      finishKey !== '' && key.includes(finishKey)
        ? `it contains the finish key "${finishKey}", which ends collection and is never part of the digits`
        : key.length < minDigits || key.length > maxDigits
          ? `gather collects ${minDigits === maxDigits ? minDigits : `${minDigits} to ${maxDigits}`} digit(s)`
          : undefined;
    if (why !== undefined) {
      errors.push({
        path: `${at}/branches/${escapePointer(key)}`,
        code: 'unmatchable_branch',
        message: `branch "${key}" can never match: ${why}`,
      });
    }
  }
  if (!usesActionHook(step) && !site.fallsToAStep) {
    const missing: string[] = [];
    if (step.onTimeout === undefined) missing.push('no digits are entered ("onTimeout")');
    if (step.default === undefined) missing.push('the digits match no branch ("default")');
    if (missing.length > 0) {
      errors.push({
        path: at,
        code: 'gather_no_way_out',
        message: `gather is the last step and has no "next", so nothing follows when ${missing.join(' or when ')}; add those labels, "next", or a following step`,
      });
    }
  }
  return errors;
}

/**
 * `gather`: the gather command (drive a `DigitCollector` with it). Branches on the digits,
 * or with an `actionHook` POSTs them and continues with the verbs returned (after a failed
 * hook: fall-through). TwiML `<Gather>` timing: the first-key timer starts after the prompt.
 */
export const gather = {
  name: 'gather',
  schema: {
    type: 'object',
    description: 'Collect DTMF digits, then branch on them (branches/default/onTimeout) or POST them to actionHook.',
    additionalProperties: false,
    required: ['verb'],
    properties: {
      verb: verbConst('gather'),
      ...flowControl,
      input: { type: 'array', items: { enum: ['digits'] }, minItems: 1, uniqueItems: true, default: ['digits'] },
      numDigits: digitCount('Exact number of digits; reaching it ends collection.'),
      minDigits: digitCount('Fewest digits that count as an entry.', G.minDigitsDefault),
      maxDigits: digitCount('Most digits; reaching it ends collection. Default numDigits, else 20.'),
      finishOnKey: {
        enum: ['', '#', '*', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
        default: G.finishOnKeyDefault,
        description: 'Key that ends collection (not part of the digits); "" disables.',
      },
      timeout: int(G.timeoutMin, G.timeoutMax, 'Seconds to wait for the first digit after the prompt.', G.timeoutDefault),
      interDigitTimeout: int(G.timeoutMin, G.timeoutMax, 'Seconds to wait between digits. Default: timeout.'),
      prompt: { $ref: '#/$defs/prompt' },
      branches: {
        type: 'object',
        description: 'Digits -> label.',
        propertyNames: ref('dtmfKeys'),
        additionalProperties: ref('label'),
      },
      default: { ...ref('label'), description: 'Label for digits that match no branch.' },
      onTimeout: { ...ref('label'), description: 'Label when no digits are entered.' },
      actionHook: { ...ref('httpUrl'), description: 'URL to POST the digits to; its verbs replace the rest of the flow.' },
    },
    dependentSchemas: {
      actionHook: { properties: { branches: false, default: false, onTimeout: false } },
      numDigits: { properties: { minDigits: false, maxDigits: false } },
    },
  },
  defs: {
    prompt: {
      type: 'object',
      description: 'A say or play without label/next, interrupted by the first key press.',
      required: ['verb'],
      properties: { verb: { type: 'string' } },
      discriminator: { propertyName: 'verb' },
      oneOf: [{ $ref: '#/$defs/promptSay' }, { $ref: '#/$defs/promptPlay' }],
    },
    promptSay: {
      type: 'object',
      additionalProperties: false,
      required: ['verb', 'text'],
      properties: { verb: verbConst('say'), ...sayOptions(LIMITS.promptLoop.min) },
    },
    promptPlay: {
      type: 'object',
      additionalProperties: false,
      required: ['verb', 'url'],
      properties: { verb: verbConst('play'), ...playOptions(LIMITS.promptLoop.min) },
    },
  },
  command: gatherCommand,
  outbound: (step) => (step.actionHook === undefined ? [] : [{ field: 'actionHook', kind: 'url', value: step.actionHook }]),
  labels: (step) => [
    ...Object.entries(step.branches ?? {}).map(([digits, label]) => ({ field: `branches/${escapePointer(digits)}`, label })),
    { field: 'default', label: step.default },
    { field: 'onTimeout', label: step.onTimeout },
  ],
  successors(step, edges) {
    if (usesActionHook(step)) return edges.fallThrough();
    const out = Object.values(step.branches ?? {}).flatMap(edges.label);
    out.push(...(step.default === undefined ? edges.fallThrough() : edges.label(step.default)));
    out.push(...(step.onTimeout === undefined ? edges.fallThrough() : edges.label(step.onTimeout)));
    return out;
  },
  check: checkGather,
} satisfies VerbModule<GatherStep>;
