import type { Command, StepRef } from '../commands';
import type { Step } from '../types';
import { VERBS, verbOf } from './index';
import { actionHookCommand } from './gather';
import type { CommandContext } from './verb-module';

const ref = (verb: Step['verb']): StepRef => ({ document: 1, index: 3, label: 'here', verb });
const context = (verb: Step['verb']): CommandContext => ({ ref: ref(verb), fetchBody: (purpose) => ({ purpose, call_id: 'c1' }) });

type WithoutStep<C> = C extends unknown ? Omit<C, 'step'> : never;

/** [case, step, command without `step`]: each verb with its defaults, then with every option set (seconds -> ms). */
const CASES: Array<[string, Step, WithoutStep<Command>]> = [
  ['say defaults', { verb: 'say', text: 'Hi' }, { kind: 'say', text: 'Hi', voice: null, loop: 1 }],
  ['say options', { verb: 'say', text: 'Hi', voice: 'en-gb', loop: 3, next: 'x' }, { kind: 'say', text: 'Hi', voice: 'en-gb', loop: 3 }],
  ['play defaults', { verb: 'play', url: 'sound:beep' }, { kind: 'play', url: 'sound:beep', loop: 1 }],
  ['play options', { verb: 'play', url: 'https://e.com/a.wav', loop: 2 }, { kind: 'play', url: 'https://e.com/a.wav', loop: 2 }],
  [
    'gather defaults',
    { verb: 'gather' },
    {
      kind: 'gather',
      prompt: null,
      numDigits: null,
      minDigits: 1,
      maxDigits: 20,
      finishOnKey: '#',
      timeoutMs: 5000,
      interDigitTimeoutMs: 5000,
    },
  ],
  [
    'gather numDigits and a say prompt',
    { verb: 'gather', numDigits: 4, timeout: 8, prompt: { verb: 'say', text: 'PIN?' } },
    {
      kind: 'gather',
      prompt: { kind: 'say', text: 'PIN?', voice: null, loop: 1 },
      numDigits: 4,
      minDigits: 4,
      maxDigits: 4,
      finishOnKey: '#',
      timeoutMs: 8000,
      interDigitTimeoutMs: 8000,
    },
  ],
  [
    'gather options and a play prompt',
    {
      verb: 'gather',
      minDigits: 2,
      maxDigits: 6,
      finishOnKey: '',
      timeout: 10,
      interDigitTimeout: 3,
      prompt: { verb: 'play', url: 'sound:menu', loop: 0 },
    },
    {
      kind: 'gather',
      prompt: { kind: 'play', url: 'sound:menu', loop: 0 },
      numDigits: null,
      minDigits: 2,
      maxDigits: 6,
      finishOnKey: '',
      timeoutMs: 10000,
      interDigitTimeoutMs: 3000,
    },
  ],
  [
    'dial defaults',
    { verb: 'dial', target: '+14155550100' },
    { kind: 'dial', target: '+14155550100', callerId: null, timeoutMs: 30000, timeLimitMs: null },
  ],
  [
    'dial options',
    { verb: 'dial', target: 'PJSIP/alice', callerId: '+14155550199', timeout: 20, timeLimit: 3600, onBusy: 'b' },
    { kind: 'dial', target: 'PJSIP/alice', callerId: '+14155550199', timeoutMs: 20000, timeLimitMs: 3600000 },
  ],
  ['record defaults', { verb: 'record' }, { kind: 'record', maxLengthMs: 60000, finishOnKey: '#', beep: true }],
  [
    'record options',
    { verb: 'record', maxLength: 120, finishOnKey: 'any', beep: false },
    { kind: 'record', maxLengthMs: 120000, finishOnKey: 'any', beep: false },
  ],
  ['pause', { verb: 'pause', length: 2 }, { kind: 'pause', ms: 2000 }],
  ['hangup defaults', { verb: 'hangup' }, { kind: 'hangup', reason: 'normal', cause: 'verb' }],
  ['hangup no-answer (ARI no_answer)', { verb: 'hangup', reason: 'no-answer' }, { kind: 'hangup', reason: 'no_answer', cause: 'verb' }],
  [
    'redirect defaults',
    { verb: 'redirect', url: 'https://e.com/next' },
    {
      kind: 'fetch',
      purpose: 'redirect',
      url: 'https://e.com/next',
      method: 'POST',
      timeoutMs: 5000,
      body: { purpose: 'redirect', call_id: 'c1' },
    },
  ],
  [
    'redirect options',
    { verb: 'redirect', url: 'https://e.com/next', method: 'GET', timeout: 30, fallback: 'f' },
    {
      kind: 'fetch',
      purpose: 'redirect',
      url: 'https://e.com/next',
      method: 'GET',
      timeoutMs: 30000,
      body: { purpose: 'redirect', call_id: 'c1' },
    },
  ],
];

describe('verb command builders', () => {
  it('are all covered below', () => {
    expect(new Set(CASES.map(([, step]) => step.verb))).toEqual(new Set(VERBS));
  });

  it.each(CASES)('%s', (_, step, command) => {
    expect(verbOf(step).command(step, context(step.verb))).toEqual({ ...command, step: ref(step.verb) });
  });

  it('gather: POSTs the digits to the actionHook with the default fetch timeout', () => {
    const step = { verb: 'gather' as const, actionHook: 'https://e.com/hook' };
    expect(actionHookCommand(step, context('gather'))).toEqual({
      kind: 'fetch',
      step: ref('gather'),
      purpose: 'actionHook',
      url: 'https://e.com/hook',
      method: 'POST',
      timeoutMs: 5000,
      body: { purpose: 'actionHook', call_id: 'c1' },
    });
  });
});
