import { LIMITS } from './limits';
import { HANGUP_REASONS } from './types';

/** Shapes of strings, referenced by name so validation errors can say which shape was expected. */
const FORMATS = {
  label: { type: 'string', pattern: LIMITS.label.pattern, description: 'Step label: lower-case letter, then up to 63 of a-z 0-9 _ -.' },
  httpUrl: {
    type: 'string',
    maxLength: LIMITS.url.maxLength,
    pattern: '^https?://[^\\s/?#]+[^\\s]*$',
    format: 'uri',
    description: 'An http or https URL.',
  },
  mediaUrl: {
    type: 'string',
    maxLength: LIMITS.url.maxLength,
    pattern: '^(https?://[^\\s/?#]+[^\\s]*|(sound|recording|digits|number|characters|tone):[^\\s]+)$',
    description: 'An http(s) URL or an Asterisk media URI (sound:, recording:, digits:, number:, characters:, tone:).',
  },
  voice: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$', description: 'Voice or language tag, e.g. en-us.' },
  e164: { type: 'string', pattern: '^\\+[1-9][0-9]{1,14}$', description: 'E.164 number, e.g. +14155550100.' },
  dialTarget: {
    type: 'string',
    pattern: '^(\\+[1-9][0-9]{1,14}|sips?:([A-Za-z0-9._~+-]+@)?[A-Za-z0-9.-]+(:[0-9]{1,5})?|PJSIP/[A-Za-z0-9_.+-]+(@[A-Za-z0-9_.-]+)?)$',
    description: 'E.164 number, SIP URI (sip:alice@example.com) or PJSIP endpoint (PJSIP/alice, PJSIP/1000@trunk).',
  },
  dtmfKeys: { type: 'string', pattern: `^[0-9*#]{${LIMITS.digits.min},${LIMITS.digits.max}}$`, description: 'DTMF digits (0-9, *, #).' },
} as const;

const ref = (name: keyof typeof FORMATS | 'step' | 'prompt'): { $ref: string } => ({ $ref: `#/$defs/${name}` });
interface IntegerSchema {
  type: 'integer';
  minimum: number;
  maximum: number;
  description: string;
  default?: number;
}
const int = (minimum: number, maximum: number, description: string, dflt?: number): IntegerSchema => ({
  type: 'integer',
  minimum,
  maximum,
  description,
  ...(dflt === undefined ? {} : { default: dflt }),
});
const verb = (name: string): Record<string, unknown> => ({ const: name });
const flowControl = {
  label: ref('label'),
  next: { ...ref('label'), description: 'Label to continue with after this step.' },
};

const text = { type: 'string', minLength: LIMITS.say.textMin, maxLength: LIMITS.say.textMax, description: 'Text to speak.' };

const sayOptions = (loopMin: number) => ({
  text,
  voice: ref('voice'),
  loop: int(
    loopMin,
    LIMITS.loop.max,
    loopMin === 0 ? 'Repetitions; 0 = until a key is pressed or the gather times out.' : 'Repetitions.',
    1,
  ),
});
const playOptions = (loopMin: number) => ({
  url: ref('mediaUrl'),
  loop: int(
    loopMin,
    LIMITS.loop.max,
    loopMin === 0 ? 'Repetitions; 0 = until a key is pressed or the gather times out.' : 'Repetitions.',
    1,
  ),
});

const G = LIMITS.gather;
const D = LIMITS.dial;
const R = LIMITS.record;
const F = LIMITS.fetch;
const digitCount = (description: string, dflt?: number) => int(LIMITS.digits.min, LIMITS.digits.max, description, dflt);

/**
 * The JSON Schema (draft 2020-12) of flow documents, DSL version 1, published verbatim
 * at `GET /v1/flows/schema`. Steps are discriminated on `verb` (the OpenAPI-style
 * `discriminator` keyword next to `oneOf`; validators that do not know it still get a
 * correct `oneOf`). Every object is closed (`additionalProperties: false`).
 *
 * The schema covers shapes only. Labels, reachability and gather exits are checked by
 * `validateFlow` after the schema passes; see the library README.
 */
export const flowSchema = deepFreeze({
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'Call flow, DSL version 1',
  description:
    'A call flow: steps run in order; `next` and branch options jump to step labels; running off the end hangs up. Durations are whole seconds.',
  type: 'object',
  additionalProperties: false,
  required: ['version', 'steps'],
  properties: {
    version: { const: 1, description: 'DSL version; only 1 exists.' },
    steps: { type: 'array', minItems: LIMITS.steps.min, maxItems: LIMITS.steps.max, items: ref('step') },
  },
  $defs: {
    ...FORMATS,
    step: {
      type: 'object',
      required: ['verb'],
      properties: { verb: { type: 'string' } },
      discriminator: { propertyName: 'verb' },
      oneOf: ['say', 'play', 'gather', 'dial', 'record', 'pause', 'hangup', 'redirect'].map((v) => ({ $ref: `#/$defs/${v}` })),
    },
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
      properties: { verb: verb('say'), ...sayOptions(LIMITS.promptLoop.min) },
    },
    promptPlay: {
      type: 'object',
      additionalProperties: false,
      required: ['verb', 'url'],
      properties: { verb: verb('play'), ...playOptions(LIMITS.promptLoop.min) },
    },
    say: {
      type: 'object',
      description: 'Text to speech.',
      additionalProperties: false,
      required: ['verb', 'text'],
      properties: { verb: verb('say'), ...flowControl, ...sayOptions(LIMITS.loop.min) },
    },
    play: {
      type: 'object',
      description: 'Play an audio URL or Asterisk media URI.',
      additionalProperties: false,
      required: ['verb', 'url'],
      properties: { verb: verb('play'), ...flowControl, ...playOptions(LIMITS.loop.min) },
    },
    gather: {
      type: 'object',
      description: 'Collect DTMF digits, then branch on them (branches/default/onTimeout) or POST them to actionHook.',
      additionalProperties: false,
      required: ['verb'],
      properties: {
        verb: verb('gather'),
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
        prompt: ref('prompt'),
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
    dial: {
      type: 'object',
      description: 'Call a number or SIP endpoint and bridge it to the caller.',
      additionalProperties: false,
      required: ['verb', 'target'],
      properties: {
        verb: verb('dial'),
        ...flowControl,
        target: ref('dialTarget'),
        callerId: ref('e164'),
        timeout: int(D.timeoutMin, D.timeoutMax, 'Seconds to ring.', D.timeoutDefault),
        timeLimit: int(D.timeLimitMin, D.timeLimitMax, 'Maximum seconds of the bridged call.'),
        onBusy: { ...ref('label'), description: 'Label when the result is busy.' },
        onNoAnswer: { ...ref('label'), description: 'Label when the result is no-answer.' },
        onFailed: { ...ref('label'), description: 'Label when the result is failed.' },
      },
    },
    record: {
      type: 'object',
      description: 'Record the caller.',
      additionalProperties: false,
      required: ['verb'],
      properties: {
        verb: verb('record'),
        ...flowControl,
        maxLength: int(R.maxLengthMin, R.maxLengthMax, 'Maximum seconds to record.', R.maxLengthDefault),
        finishOnKey: { enum: ['', '#', '*', 'any'], default: R.finishOnKeyDefault, description: 'Key that stops the recording.' },
        beep: { type: 'boolean', default: R.beepDefault, description: 'Beep before recording.' },
      },
    },
    pause: {
      type: 'object',
      description: 'Silence.',
      additionalProperties: false,
      required: ['verb', 'length'],
      properties: { verb: verb('pause'), ...flowControl, length: int(LIMITS.pause.min, LIMITS.pause.max, 'Seconds.') },
    },
    hangup: {
      type: 'object',
      description: 'End the call.',
      additionalProperties: false,
      required: ['verb'],
      properties: { verb: verb('hangup'), label: ref('label'), reason: { enum: [...HANGUP_REASONS], default: 'normal' } },
    },
    redirect: {
      type: 'object',
      description: 'Fetch the rest of the flow from a URL.',
      additionalProperties: false,
      required: ['verb', 'url'],
      properties: {
        verb: verb('redirect'),
        label: ref('label'),
        url: ref('httpUrl'),
        method: { enum: ['POST', 'GET'], default: F.methodDefault },
        timeout: int(F.timeoutMin, F.timeoutMax, 'Seconds to wait for the answer.', F.timeoutDefault),
        fallback: { ...ref('label'), description: 'Label when the fetch fails or returns an invalid flow.' },
      },
    },
  },
});

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
