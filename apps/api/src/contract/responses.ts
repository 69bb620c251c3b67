import type {
  HeaderObject,
  OpenAPIObject,
  OperationObject,
  ParameterObject,
  ReferenceObject,
  RequestBodyObject,
  ResponseObject,
  SchemaObject,
} from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { ErrorCode, httpStatusOf } from '@gw/errors';
import { OperatorGuard } from '../auth/operator.guard';
import { ProjectAuthGuard } from '../auth/project-auth.guard';
import { requiredScope } from '../auth/scopes';
import { PATH_PARAMS } from '../common/path-params';
import { STRING_FORMATS } from '../common/validators';
import { rateLimitClassOf } from '../rate-limit/classes';
import { RATE_LIMITED_RESPONSE } from '../rate-limit/openapi';
import { RateLimitGuard } from '../rate-limit/rate-limit.guard';
import type { RouteHandler } from './routes';

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'] as const;
type HttpMethod = (typeof HTTP_METHODS)[number];

/** Methods whose requests carry a body Fastify parses (and so can be malformed, too large or of another media type). */
const BODY_METHODS: ReadonlySet<HttpMethod> = new Set(['post', 'put', 'patch']);

const CORRELATION_HEADER = 'X-Correlation-Id';
const IDEMPOTENCY_KEY = 'Idempotency-Key';
const REPLAYED_HEADER = 'Idempotent-Replayed';

/** Response fields every answer or a kind of answer carries (`#/components/headers/<name>`). */
const HEADERS: Record<string, HeaderObject> = {
  [CORRELATION_HEADER]: {
    description:
      "The request's correlation id: its own `X-Correlation-Id` (1 to 128 characters) when it sent one, else a new UUID; errors repeat it as `error.correlation_id`",
    required: true,
    schema: { type: 'string', minLength: 1, maxLength: 128 },
  },
  [REPLAYED_HEADER]: {
    description: 'Present on an answer replayed for a repeated Idempotency-Key (the first answer, not a new resource)',
    schema: { type: 'string', enum: ['true'] },
  },
};

/** What each error status means where the document adds it by itself; a route's own description of a status wins. */
const STANDARD: Record<number, string> = {
  400:
    'Bad input, nothing written: `validation_failed` with `fields` naming each offending body, query, path or header field, ' +
    'or `malformed_json`',
  401: 'No valid credential: `unauthenticated`',
  403: 'The JWT lacks the scope the route needs: `forbidden`, its message naming the scope',
  404: 'No such resource (or not one of this project): `not_found`',
  409: 'A request with the same Idempotency-Key is in progress: `idempotency_key_in_use`',
  413: 'The body is larger than 64 kB: `payload_too_large`',
  415: 'The body is neither JSON nor text: `unsupported_media_type`',
  422: 'The Idempotency-Key was used with a different request: `idempotency_key_mismatch`',
  429: RATE_LIMITED_RESPONSE.description,
};

const ref = (kind: 'schemas' | 'headers', name: string): ReferenceObject => ({ $ref: `#/components/${kind}/${name}` });

/** The error codes the API answers with `status` (see httpStatusOf). */
function codesOf(status: number): ErrorCode[] {
  return Object.values(ErrorCode).filter((code) => httpStatusOf(code) === status);
}

/** The error body (rendered by libs/errors' HttpErrorFilter), its `code` limited to `codes`. */
function errorSchema(codes: readonly string[]): SchemaObject {
  return {
    type: 'object',
    required: ['error'],
    additionalProperties: false,
    properties: {
      error: {
        type: 'object',
        required: ['code', 'message', 'correlation_id'],
        additionalProperties: false,
        properties: {
          code: { type: 'string', enum: [...codes], description: 'Stable error code; branch on it, never on the message' },
          message: { type: 'string' },
          fields: { type: 'array', items: ref('schemas', 'ErrorField'), description: 'The offending input fields, for 4xx answers' },
          correlation_id: { type: 'string', description: 'As the X-Correlation-Id response field' },
        },
      },
    },
  };
}

/** The response components every operation's error answers share. */
function addComponents(doc: OpenAPIObject): void {
  doc.components = {
    ...doc.components,
    schemas: {
      ...doc.components?.schemas,
      ErrorField: {
        type: 'object',
        required: ['field', 'message'],
        additionalProperties: false,
        properties: {
          field: {
            type: 'string',
            description: 'Dotted path of the field (`to`, `messages:send.per_key`) or a JSON Pointer into a flow document',
          },
          message: { type: 'string' },
        },
      },
      Error: errorSchema(Object.values(ErrorCode)),
    },
    headers: { ...doc.components?.headers, ...HEADERS },
  };
}

/** An error answer of `status`: the route's own description (when it declared the status) with the error body. */
function errorResponse(status: number, declared: ResponseObject | undefined): ResponseObject {
  const base = status === 429 ? RATE_LIMITED_RESPONSE : { description: STANDARD[status] ?? `Error ${status}` };
  return {
    ...base,
    ...declared,
    description: declared?.description || base.description,
    headers: { ...('headers' in base ? base.headers : {}), ...declared?.headers },
    content: declared?.content ?? { 'application/json': { schema: errorSchema(codesOf(status)) } },
  };
}

/** `/v1/calls/{callId}` as Fastify names the route: `/v1/calls/:callId`. */
function fastifyPath(path: string): string {
  return path.replace(/\{([^}]+)\}/g, ':$1');
}

const isParameter = (p: ParameterObject | ReferenceObject): p is ParameterObject => !('$ref' in p);

/**
 * The statuses `op` can answer with an error, by what the route is: 400 for any input, 401 and
 * 403 by its guard, 404 for a path naming a resource, 409 and 422 with an Idempotency-Key, 413
 * and 415 for a body, 429 when RateLimitGuard limits it; plus the 4xx its controller declared
 * (e.g. a 409 its use case raises).
 */
function errorStatuses(method: HttpMethod, path: string, op: OperationObject, route: RouteHandler | undefined): number[] {
  const params = (op.parameters ?? []).filter(isParameter);
  const guards = route?.guards ?? [];
  const project = guards.includes(ProjectAuthGuard);
  const statuses = new Set<number>(
    Object.keys(op.responses)
      .map(Number)
      .filter((s) => s >= 400 && s < 500),
  );
  const add = (when: boolean, ...codes: number[]) => when && codes.forEach((c) => statuses.add(c));
  add(params.length > 0 || op.requestBody !== undefined || BODY_METHODS.has(method), 400);
  add(project || guards.includes(OperatorGuard), 401);
  add(project && requiredScope(method.toUpperCase(), fastifyPath(path)) !== null, 403);
  add(
    params.some((p) => p.in === 'path'),
    404,
  );
  add(
    params.some((p) => p.in === 'header' && p.name === IDEMPOTENCY_KEY),
    409,
    422,
  );
  add(BODY_METHODS.has(method), 413, 415);
  add(guards.includes(RateLimitGuard) && rateLimitClassOf(method.toUpperCase(), fastifyPath(path)) !== null, 429);
  return [...statuses].sort((a, b) => a - b);
}

/** Parameters: path parameters as PATH_PARAMS defines them, the Idempotency-Key's length. */
function constrainParameters(op: OperationObject): void {
  for (const p of (op.parameters ?? []).filter(isParameter)) {
    const rule = p.in === 'path' ? PATH_PARAMS[p.name] : undefined;
    if (rule) p.schema = { ...rule.schema };
    if (p.in === 'header' && p.name === IDEMPOTENCY_KEY) p.schema = { type: 'string', minLength: 1, maxLength: 255 };
  }
}

/** Every string schema with a format of STRING_FORMATS gets the format's pattern. */
function addFormatPatterns(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(addFormatPatterns);
  if (node === null || typeof node !== 'object') return;
  const schema = node as SchemaObject;
  const format = typeof schema.format === 'string' ? STRING_FORMATS[schema.format] : undefined;
  if (format && schema.type === 'string') schema.pattern ??= format.pattern;
  Object.values(node).forEach(addFormatPatterns);
}

/**
 * A body is optional where the API takes a missing one as `{}` (the validation pipe does, unless
 * the route's JSON Schema refuses it) and that passes: its model requires no property.
 */
function markOptionalBody(doc: OpenAPIObject, op: OperationObject, route: RouteHandler | undefined): void {
  const body = op.requestBody as RequestBodyObject | undefined;
  let schema = body?.content['application/json']?.schema as SchemaObject | ReferenceObject | undefined;
  if (schema && '$ref' in schema) schema = doc.components?.schemas?.[schema.$ref.replace('#/components/schemas/', '')];
  if (body && schema && !route?.bodySchema && !(schema as SchemaObject).required?.length) body.required = false;
}

/** Request body models are closed, as the API rejects unknown fields (forbidNonWhitelisted, or the route's JSON Schema). */
function closeRequestModels(doc: OpenAPIObject, op: OperationObject): void {
  const schemas = doc.components?.schemas ?? {};
  const pending: unknown[] = Object.values(
    (op.requestBody as { content?: Record<string, { schema?: unknown }> } | undefined)?.content ?? {},
  ).map((media) => media.schema);
  const seen = new Set<string>();
  while (pending.length) {
    const node = pending.pop() as (SchemaObject & ReferenceObject) | undefined;
    if (!node || typeof node !== 'object') continue;
    if (typeof node.$ref === 'string') {
      const name = node.$ref.replace('#/components/schemas/', '');
      if (!seen.has(name)) pending.push(schemas[name]);
      seen.add(name);
      continue;
    }
    if (node.type === 'object' && node.properties && node.additionalProperties === undefined) node.additionalProperties = false;
    pending.push(...Object.values(node.properties ?? {}), node.items, ...(node.allOf ?? []));
  }
}

/**
 * Completes the generated document with what the controllers' decorators do not say, from what
 * each route is (`handlers`, by operationId, see routeHandlersOf), so that a new route is
 * documented the same way without repeating it:
 * - security from the route's guard: `bearer` (API key or JWT) for ProjectAuthGuard, `operator`
 *   (X-Operator-Secret) for OperatorGuard, none for public routes;
 * - every error answer it can give (see errorStatuses) with the error body of libs/errors, each
 *   status' body listing the codes the API answers it with;
 * - `X-Correlation-Id` on every answer, `Idempotent-Replayed` on the success answers of routes
 *   taking an Idempotency-Key (1 to 255 characters);
 * - path parameters as PATH_PARAMS checks them, string formats' patterns (STRING_FORMATS), and
 *   request models closed to unknown fields.
 */
export function withApiContract(doc: OpenAPIObject, handlers: ReadonlyMap<string, RouteHandler>): OpenAPIObject {
  addComponents(doc);
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of HTTP_METHODS) {
      const op = item[method];
      if (!op) continue;
      const route = op.operationId ? handlers.get(op.operationId) : undefined;
      const guards = route?.guards ?? [];
      if (guards.includes(ProjectAuthGuard)) op.security = [{ bearer: [] }];
      else if (guards.includes(OperatorGuard)) op.security = [{ operator: [] }];
      else delete op.security;
      constrainParameters(op);
      const idempotent = (op.parameters ?? []).some((p) => isParameter(p) && p.in === 'header' && p.name === IDEMPOTENCY_KEY);
      for (const status of errorStatuses(method, path, op, route))
        op.responses[status] = errorResponse(status, op.responses[status] as ResponseObject | undefined);
      for (const [status, res] of Object.entries(op.responses) as Array<[string, ResponseObject]>) {
        res.headers = { ...res.headers, [CORRELATION_HEADER]: ref('headers', CORRELATION_HEADER) };
        if (idempotent && status.startsWith('2')) res.headers[REPLAYED_HEADER] = ref('headers', REPLAYED_HEADER);
      }
      closeRequestModels(doc, op);
      markOptionalBody(doc, op, route);
    }
  }
  addFormatPatterns(doc.paths);
  addFormatPatterns(doc.components?.schemas);
  return doc;
}
