import Ajv2020 from 'ajv/dist/2020';
import type { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { flowSchema } from './schema';
import { mapSchemaErrors } from './schema-errors';
import { checkSemantics } from './semantics';
import type { Flow, FlowError, FlowValidation } from './types';
import { FLOW_VERSION } from './types';

/** At most this many errors are reported for one document. */
export const MAX_REPORTED_ERRORS = 100;

let compiled: ValidateFunction | undefined;

function schemaValidator(): ValidateFunction {
  if (compiled === undefined) {
    const ajv = new Ajv2020({ allErrors: true, discriminator: true, strict: true });
    addFormats(ajv, ['uri']);
    compiled = ajv.compile(flowSchema);
  }
  return compiled;
}

/**
 * Validates a flow document (any JSON value) in three passes, stopping after the first
 * that finds problems:
 * 1. the envelope: an object whose `version` is 1 (else one `bad_type` at `""` or one `bad_version` at `/version`);
 * 2. {@link flowSchema} (ajv, all errors, mapped to one error per problem at the offending field);
 * 3. semantics: duplicate/missing labels, gather digit ranges and exits, unreachable steps.
 *
 * Paths are JSON Pointers into `doc`. On success `flow` is a deep copy of `doc` (defaults
 * are not filled in). Never throws for bad input; at most {@link MAX_REPORTED_ERRORS} errors.
 */
export function validateFlow(doc: unknown): FlowValidation {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    return fail([{ path: '', code: 'bad_type', message: 'a flow document must be a JSON object' }]);
  }
  const version = (doc as Record<string, unknown>).version;
  if (version === undefined) {
    return fail([{ path: '/version', code: 'bad_version', message: `missing "version"; the only DSL version is ${FLOW_VERSION}` }]);
  }
  if (version !== FLOW_VERSION) {
    return fail([
      {
        path: '/version',
        code: 'bad_version',
        message: `unsupported DSL version ${JSON.stringify(version)}; the only version is ${FLOW_VERSION}`,
      },
    ]);
  }
  const validate = schemaValidator();
  if (!validate(doc)) return fail(mapSchemaErrors(validate.errors ?? [], doc));
  const flow = structuredClone(doc) as Flow;
  const errors = checkSemantics(flow);
  return errors.length > 0 ? fail(errors) : { ok: true, flow };
}

function fail(errors: FlowError[]): FlowValidation {
  return { ok: false, errors: errors.slice(0, MAX_REPORTED_ERRORS) };
}
