import { LIMITS } from './limits';

/**
 * Shapes of strings the verbs share, published as `$defs/<name>` of the flow schema and
 * referenced by name so validation errors can say which shape was expected (the messages
 * are in `schema-errors.ts`, keyed by the same names).
 */
export const FORMATS = {
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

/** `{ $ref }` to one of the shared {@link FORMATS}. */
export const ref = (name: keyof typeof FORMATS): { $ref: string } => ({ $ref: `#/$defs/${name}` });

/** Schema of a whole number of something (seconds, digits, repetitions) within bounds. */
export interface IntegerSchema {
  type: 'integer';
  minimum: number;
  maximum: number;
  description: string;
  default?: number;
}

/** An {@link IntegerSchema}; `dflt` is published as `default` when given. */
export const int = (minimum: number, maximum: number, description: string, dflt?: number): IntegerSchema => ({
  type: 'integer',
  minimum,
  maximum,
  description,
  ...(dflt === undefined ? {} : { default: dflt }),
});

/** The `verb` property of a step schema: exactly `name` (what the `discriminator` dispatches on). */
export const verbConst = (name: string): Record<string, unknown> => ({ const: name });

/** `label` and `next`, the properties of every step that falls through (all but `hangup` and `redirect`). */
export const flowControl = {
  label: ref('label'),
  next: { ...ref('label'), description: 'Label to continue with after this step.' },
};

/** `loop` of say and play (default 1); `min` 0 is for gather prompts: repeat until a key or the timeout. */
export const loopOption = (min: number): IntegerSchema =>
  int(min, LIMITS.loop.max, min === 0 ? 'Repetitions; 0 = until a key is pressed or the gather times out.' : 'Repetitions.', 1);
