import type Ajv from 'ajv';
import type { FastifySchemaValidationError, FastifyServerOptions } from 'fastify';
import type { SchemaErrorDataVar } from 'fastify/types/schema';
import { DomainError, ErrorCode, FieldError } from '@gw/errors';
import { isE164String, isHttpUrl, isSmsSender, RULE_MESSAGES } from './validators';

/** String formats request schemas may use (`format: 'e164'` ...), each with what its failure says. */
const FORMATS: Record<string, { validate: (value: string) => boolean; message: string }> = {
  e164: { validate: isE164String, message: RULE_MESSAGES.e164 },
  'sms-sender': { validate: isSmsSender, message: RULE_MESSAGES.sender },
  'http-url': { validate: isHttpUrl, message: RULE_MESSAGES.httpUrl },
};

const ARTICLE: Record<string, string> = { string: 'a string', integer: 'an integer', number: 'a number', object: 'an object' };

function addFormats(ajv: Ajv): Ajv {
  for (const [name, { validate }] of Object.entries(FORMATS)) ajv.addFormat(name, { type: 'string', validate });
  return ajv;
}

/** `/steps/0/text` -> `steps.0.text`, with `child` appended; `dataVar` (`body`, ...) for the document itself. */
function fieldOf(instancePath: string, dataVar: string, child?: unknown): string {
  const parts = instancePath.split('/').slice(1);
  if (typeof child === 'string') parts.push(child);
  return parts.length ? parts.join('.') : dataVar;
}

/** One ajv error as the API names it: the offending field (a dotted path) and what is wrong with it. */
export function fieldErrorOf(e: FastifySchemaValidationError, dataVar: string): FieldError {
  const { keyword, params, instancePath, message } = e;
  switch (keyword) {
    case 'required':
      return { field: fieldOf(instancePath, dataVar, params.missingProperty), message: 'is required' };
    case 'additionalProperties':
      return { field: fieldOf(instancePath, dataVar, params.additionalProperty), message: 'is not an accepted field' };
    case 'type':
      return { field: fieldOf(instancePath, dataVar), message: `must be ${ARTICLE[String(params.type)] ?? String(params.type)}` };
    case 'format':
      return {
        field: fieldOf(instancePath, dataVar),
        message: FORMATS[String(params.format)]?.message ?? `must be ${String(params.format)}`,
      };
    case 'minLength':
      if (params.limit === 1) return { field: fieldOf(instancePath, dataVar), message: 'must not be empty' };
      return { field: fieldOf(instancePath, dataVar), message: `must be at least ${String(params.limit)} characters` };
    case 'maxLength':
      return { field: fieldOf(instancePath, dataVar), message: `must be at most ${String(params.limit)} characters` };
    default:
      return { field: fieldOf(instancePath, dataVar), message: message ?? `fails ${keyword}` };
  }
}

/** Fastify's schemaErrorFormatter: every failure of a request schema becomes one 400 `validation_failed` naming each field. */
export function schemaValidationFailed(errors: FastifySchemaValidationError[], dataVar: SchemaErrorDataVar): DomainError {
  const fields = errors.map((e) => fieldErrorOf(e, dataVar));
  return new DomainError(ErrorCode.ValidationFailed, fields.map((f) => `${f.field}: ${f.message}`).join('; '), fields);
}

/**
 * Fastify options for routes that declare a JSON Schema (`@RouteSchema`): ajv reports every
 * failing field, coerces nothing and removes nothing (Fastify's defaults would turn `"3600"` into
 * 3600 and silently drop unknown fields), knows the API's string formats, and failures answer
 * through schemaValidationFailed. ajv compiles each schema once at start-up, which is why the
 * hottest route (`POST /v1/messages`) validates this way rather than through class-validator.
 */
export const jsonSchemaValidation: Pick<FastifyServerOptions, 'ajv' | 'schemaErrorFormatter'> = {
  ajv: {
    // `example` is OpenAPI's annotation, shown in /docs; declared so strict mode accepts it.
    customOptions: { allErrors: true, coerceTypes: false, removeAdditional: false, useDefaults: false, keywords: ['example'] },
    plugins: [addFormats],
  },
  schemaErrorFormatter: schemaValidationFailed,
};
