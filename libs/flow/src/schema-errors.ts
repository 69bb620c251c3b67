import type { ErrorObject } from 'ajv';
import { LIMITS } from './limits';
import { escapePointer } from './pointer';
import type { FlowError, FlowErrorCode } from './types';
import { findVerb, VERBS } from './verbs';

/** What each named string shape expects, for `bad_format` / `bad_url` messages. */
const FORMAT_MESSAGES: Record<string, { code: FlowErrorCode; expected: string }> = {
  label: { code: 'bad_format', expected: 'a label: a lower-case letter followed by up to 63 of a-z, 0-9, "_", "-"' },
  httpUrl: { code: 'bad_url', expected: 'an http:// or https:// URL' },
  mediaUrl: {
    code: 'bad_url',
    expected: 'an http:// or https:// URL or a media URI (sound:, recording:, digits:, number:, characters:, tone:)',
  },
  voice: { code: 'bad_format', expected: 'a voice or language tag such as "en-us"' },
  e164: { code: 'bad_format', expected: 'an E.164 number such as "+14155550100"' },
  dialTarget: {
    code: 'bad_format',
    expected: 'an E.164 number, a SIP URI such as "sip:alice@example.com", or an endpoint such as "PJSIP/alice"',
  },
  dtmfKeys: { code: 'bad_format', expected: `DTMF digits (0-9, *, #), ${LIMITS.digits.min} to ${LIMITS.digits.max} of them` },
};

/** Maps ajv's errors to `FlowError`s: one per problem, at the offending field, without oneOf noise. */
export function mapSchemaErrors(errors: readonly ErrorObject[], doc: unknown): FlowError[] {
  const out: FlowError[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    const mapped = mapOne(e, doc);
    if (mapped === null) continue;
    const key = `${mapped.path}\u0000${mapped.code}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(mapped);
  }
  return out;
}

function mapOne(e: ErrorObject, doc: unknown): FlowError | null {
  const at = e.instancePath;
  const params = e.params as Record<string, unknown>;
  // Inner errors of propertyNames repeat the outer one (which names the key).
  if (e.propertyName !== undefined && e.keyword !== 'propertyNames') return null;
  switch (e.keyword) {
    case 'discriminator':
      // A missing or non-string verb is reported by `required` / `type` on the verb itself.
      if (params.error !== 'mapping') return null;
      return { path: `${at}/verb`, code: 'unknown_verb', message: unknownVerbMessage(String(params.tagValue), isPrompt(at)) };
    case 'required': {
      const field = String(params.missingProperty);
      const path = `${at}/${escapePointer(field)}`;
      if (path === '/version') return { path, code: 'bad_version', message: 'missing "version"; the only DSL version is 1' };
      return { path, code: 'missing_option', message: `${owner(at, doc)} requires "${field}"` };
    }
    case 'additionalProperties': {
      const field = String(params.additionalProperty);
      return { path: `${at}/${escapePointer(field)}`, code: 'unknown_option', message: unknownOptionMessage(field, at, doc) };
    }
    case 'type':
      return { path: at, code: 'bad_type', message: `${name(at)} must be ${article(String(params.type))}, not ${jsonType(get(doc, at))}` };
    case 'const':
    case 'enum': {
      if (at === '/version')
        return { path: at, code: 'bad_version', message: `unsupported DSL version ${JSON.stringify(get(doc, at))}; the only version is 1` };
      const allowed = (params.allowedValues as unknown[] | undefined) ?? [params.allowedValue];
      return { path: at, code: 'bad_value', message: `${name(at)} must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}` };
    }
    case 'uniqueItems':
      return { path: at, code: 'bad_value', message: `${name(at)} must not repeat items` };
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
    case 'minLength':
    case 'maxLength':
    case 'minItems':
    case 'maxItems':
    case 'minProperties':
    case 'maxProperties':
      return { path: at, code: 'out_of_range', message: rangeMessage(e.keyword, at, params.limit as number) };
    case 'pattern':
    case 'format': {
      const shape = /\$defs\/(\w+)\/(?:pattern|format)$/.exec(e.schemaPath)?.[1];
      const known = shape === undefined ? undefined : FORMAT_MESSAGES[shape];
      if (known === undefined) return { path: at, code: 'bad_format', message: `${name(at)} is malformed` };
      return { path: at, code: known.code, message: `${name(at)} must be ${known.expected}` };
    }
    case 'propertyNames': {
      const key = String(params.propertyName);
      return {
        path: `${at}/${escapePointer(key)}`,
        code: 'bad_format',
        message: `branch key ${JSON.stringify(key)} must be ${FORMAT_MESSAGES.dtmfKeys.expected}`,
      };
    }
    case 'false schema': {
      const m = /dependentSchemas\/(\w+)\/properties\/(\w+)\//.exec(e.schemaPath);
      if (m === null) return { path: at, code: 'unknown_option', message: `${name(at)} is not allowed here` };
      return { path: at, code: 'conflicting_options', message: `"${m[2]}" cannot be combined with "${m[1]}"` };
    }
    default:
      return { path: at, code: 'bad_value', message: `${name(at)} ${e.message ?? 'is invalid'}` };
  }
}

const PROMPT_PATH = /\/prompt$/;
const isPrompt = (at: string): boolean => PROMPT_PATH.test(at);

function unknownVerbMessage(verb: string, prompt: boolean): string {
  if (prompt) return `a gather prompt must be "say" or "play", not ${JSON.stringify(verb)}`;
  return `unknown verb ${JSON.stringify(verb)}; verbs are ${VERBS.join(', ')}`;
}

function unknownOptionMessage(field: string, at: string, doc: unknown): string {
  if (at === '') return `unknown field "${field}" in the flow document (fields: version, steps)`;
  const verb = verbAt(at, doc);
  if (isPrompt(at))
    return `unknown option "${field}" in a gather prompt${field === 'label' || field === 'next' ? ' (prompts take no label or next)' : ''}`;
  const noNext = field === 'next' && verb !== undefined ? findVerb(verb)?.noNext : undefined;
  if (noNext !== undefined) return `"next" is not allowed on ${verb}: ${noNext}`;
  return `unknown option "${field}" for verb "${verb ?? '?'}"`;
}

/** Who owns the object at `at`, for messages: `verb "say"`, `a gather prompt`, `the flow document`. */
function owner(at: string, doc: unknown): string {
  if (at === '') return 'the flow document';
  if (isPrompt(at)) return `a gather prompt (${verbAt(at, doc) ?? '?'})`;
  const verb = verbAt(at, doc);
  return verb === undefined ? 'every step' : `verb "${verb}"`;
}

function verbAt(at: string, doc: unknown): string | undefined {
  const value = get(doc, at);
  if (value === null || typeof value !== 'object') return undefined;
  const verb = (value as Record<string, unknown>).verb;
  return typeof verb === 'string' ? verb : undefined;
}

/** Human name of the field at a pointer: `"numDigits"`, `steps[2]`, `the document`. */
function name(at: string): string {
  if (at === '') return 'the document';
  const tokens = at.split('/').slice(1);
  const last = tokens[tokens.length - 1].replace(/~1/g, '/').replace(/~0/g, '~');
  return /^\d+$/.test(last) ? `item ${last} of "${tokens[tokens.length - 2] ?? ''}"` : `"${last}"`;
}

function rangeMessage(keyword: string, at: string, limit: number): string {
  switch (keyword) {
    case 'minimum':
      return `${name(at)} must be at least ${limit}`;
    case 'maximum':
      return `${name(at)} must be at most ${limit}`;
    case 'exclusiveMinimum':
      return `${name(at)} must be greater than ${limit}`;
    case 'exclusiveMaximum':
      return `${name(at)} must be less than ${limit}`;
    case 'minLength':
      return limit === 1 ? `${name(at)} must not be empty` : `${name(at)} must be at least ${limit} characters long`;
    case 'maxLength':
      return `${name(at)} must be at most ${limit} characters long`;
    case 'minItems':
      return `${name(at)} must have at least ${limit} item${limit === 1 ? '' : 's'}`;
    case 'maxItems':
      return `${name(at)} must have at most ${limit} items`;
    case 'minProperties':
      return `${name(at)} must have at least ${limit} entries`;
    default:
      return `${name(at)} must have at most ${limit} entries`;
  }
}

function article(type: string): string {
  return type === 'integer' || type === 'object' || type === 'array' ? `an ${type}` : `a ${type}`;
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a fractional number';
  return article(typeof value);
}

/** Value at a JSON Pointer, or undefined. */
export function get(doc: unknown, pointer: string): unknown {
  let value: unknown = doc;
  for (const raw of pointer.split('/').slice(1)) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[raw.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return value;
}
