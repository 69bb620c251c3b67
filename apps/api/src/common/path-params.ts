import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import type { IdPrefix } from '@gw/database';
import { DomainError } from '@gw/errors';
import { DEAD_LETTER_ID } from '../admin/dead-letters/dto/dead-letters.dto';

/** What a path parameter holds: the schema the OpenAPI document shows, and the check that enforces it. */
export interface PathParamRule {
  schema: SchemaObject;
  valid: (value: string) => boolean;
  /** Why a value fails, worded for an error naming the parameter. */
  message: string;
}

/** Largest PostgreSQL `integer` (flow versions are stored as one). */
const MAX_INT4 = 2_147_483_647;

/** An id as `newId` issues them (`<prefix>_` + base62, see libs/database ids.ts); up to 64 characters are accepted. */
function idRule(prefix: IdPrefix, what: string): PathParamRule {
  const pattern = `^${prefix}_[0-9A-Za-z]{1,64}$`;
  const re = new RegExp(pattern);
  return {
    schema: { type: 'string', pattern, example: `${prefix}_3kT9aQ2xY7bN5mP1cR8dV4wZ` },
    valid: (value) => re.test(value),
    message: `must be ${what} id (${prefix}_...)`,
  };
}

/**
 * Path parameters by name: a name means the same kind of value on every route, so a route naming
 * its parameter `callId` gets the check (PathParamsPipe) and its documentation (the OpenAPI
 * document's path parameters) without saying more. Names absent here are plain strings.
 */
export const PATH_PARAMS: Readonly<Record<string, PathParamRule>> = {
  projectId: idRule('prj', 'a project'),
  keyId: idRule('key', 'an API key'),
  messageId: idRule('msg', 'a message'),
  callId: idRule('call', 'a call'),
  recordingId: idRule('rec', 'a recording'),
  flowId: idRule('flw', 'a flow'),
  numberId: idRule('pn', 'a phone number'),
  optOutId: idRule('opt', 'an opt-out'),
  erasureId: idRule('era', 'an erasure request'),
  connectorId: idRule('conn', 'a connector'),
  routeId: idRule('rte', 'an SMS route'),
  /** The original job's id: a message id (`sms-submit`) or an outbox event id, a UUID (`callbacks`). */
  deadLetterId: {
    schema: { type: 'string', pattern: DEAD_LETTER_ID.source, example: 'msg_3kT9aQ2xY7bN5mP1cR8dV4wZ' },
    valid: (value) => DEAD_LETTER_ID.test(value),
    message: 'must be a message id (msg_...) or an event id (UUID)',
  },
  version: {
    schema: { type: 'integer', minimum: 1, maximum: MAX_INT4, example: 1 },
    valid: (value) => /^[1-9]\d{0,9}$/.test(value) && Number(value) <= MAX_INT4,
    message: `must be a version number from 1 to ${MAX_INT4}`,
  },
};

/**
 * Global pipe checking every `@Param('<name>')` listed in PATH_PARAMS before the route's own pipes
 * (ParseIntPipe) run: a malformed id never reaches a query, and a version too large for the
 * database is no 500.
 * @throws DomainError validation_failed naming the parameter
 */
@Injectable()
export class PathParamsPipe implements PipeTransform {
  transform(value: unknown, meta: ArgumentMetadata): unknown {
    const rule = meta.type === 'param' && meta.data ? PATH_PARAMS[meta.data] : undefined;
    if (rule && !(typeof value === 'string' && rule.valid(value))) throw DomainError.invalid(meta.data!, rule.message);
    return value;
  }
}
