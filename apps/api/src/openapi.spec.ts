import { readFileSync } from 'node:fs';
import type {
  OpenAPIObject,
  OperationObject,
  ParameterObject,
  ResponseObject,
  SchemaObject,
} from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { OPENAPI_PATH, renderOpenApi } from './openapi';

type Op = { path: string; method: string; op: OperationObject };

const PUBLIC = ['GET /v1/flows/schema', 'GET /v1/calls/state-machine'];

describe('OpenAPI document', () => {
  let doc: OpenAPIObject;
  let ops: Op[];
  const op = (label: string): OperationObject => {
    const found = ops.find((o) => `${o.method.toUpperCase()} ${o.path}` === label);
    if (!found) throw new Error(`no operation ${label}`);
    return found.op;
  };
  const response = (label: string, status: string) => op(label).responses[status] as ResponseObject;
  const schema = (name: string) => doc.components!.schemas![name] as SchemaObject;

  beforeAll(async () => {
    doc = JSON.parse(await renderOpenApi()) as OpenAPIObject;
    ops = Object.entries(doc.paths).flatMap(([path, item]) =>
      (['get', 'put', 'post', 'delete', 'patch'] as const).flatMap((method) => (item[method] ? [{ path, method, op: item[method] }] : [])),
    );
  });

  it('is the committed apps/api/openapi.json (regenerate with npm run openapi)', () => {
    expect(doc.paths['/v1/messages'].post).toBeDefined();
    expect(JSON.parse(readFileSync(OPENAPI_PATH, 'utf8'))).toEqual(doc);
  });

  it('declares the bearer scheme on /v1 routes, the operator secret on /admin routes, none on the public ones', () => {
    for (const { path, method, op: o } of ops) {
      const label = `${method.toUpperCase()} ${path}`;
      if (PUBLIC.includes(label)) expect(o.security).toBeUndefined();
      else if (path.startsWith('/admin/')) expect([label, o.security]).toEqual([label, [{ operator: [] }]]);
      else expect([label, o.security]).toEqual([label, [{ bearer: [] }]]);
    }
    expect(doc.components!.securitySchemes).toMatchObject({
      bearer: { type: 'http', scheme: 'bearer' },
      operator: { type: 'apiKey', in: 'header', name: 'X-Operator-Secret' },
    });
  });

  it('answers every error with the error body, listing the codes of its status, and every answer with X-Correlation-Id', () => {
    for (const { op: o } of ops) {
      for (const [status, res] of Object.entries(o.responses) as Array<[string, ResponseObject]>) {
        expect(res.headers?.['X-Correlation-Id']).toEqual({ $ref: '#/components/headers/X-Correlation-Id' });
        if (Number(status) < 400) continue;
        const body = res.content!['application/json'].schema as SchemaObject;
        expect(body.required).toEqual(['error']);
        const error = body.properties!.error as SchemaObject;
        expect(error.required).toEqual(['code', 'message', 'correlation_id']);
        expect((error.properties!.code as SchemaObject).enum!.length).toBeGreaterThan(0);
      }
    }
    const codes = (label: string, status: string) =>
      (
        ((response(label, status).content!['application/json'].schema as SchemaObject).properties!.error as SchemaObject).properties!
          .code as SchemaObject
      ).enum;
    expect(codes('POST /v1/messages', '400')).toEqual(['validation_failed', 'malformed_json']);
    expect(codes('POST /v1/messages', '429')).toEqual(['rate_limited']);
  });

  it('documents the errors each kind of route gives', () => {
    const statuses = (label: string) => Object.keys(op(label).responses);
    expect(statuses('POST /v1/messages')).toEqual(['201', '400', '401', '403', '409', '413', '415', '422', '429']);
    expect(statuses('GET /v1/messages/{messageId}')).toEqual(['200', '400', '401', '403', '404', '429']);
    expect(statuses('GET /v1/flows')).toEqual(['200', '401', '403', '429']);
    expect(statuses('POST /v1/calls/{callId}/hangup')).toEqual(['202', '400', '401', '403', '404', '409', '413', '415', '429']);
    expect(statuses('POST /admin/projects')).toEqual(['201', '400', '401', '413', '415']);
    expect(statuses('POST /admin/projects/{projectId}/numbers')).toEqual(['201', '400', '401', '404', '409', '413', '415']);
    expect(statuses('GET /v1/flows/schema')).toEqual(['200']);
    // A route's own description of a status stays.
    expect(response('POST /v1/calls/{callId}/hangup', '409').description).toBe('The call has already ended: `conflict`');
  });

  it('sends the rate limit fields on limited routes and Idempotent-Replayed where a key replays', () => {
    expect(Object.keys(response('GET /v1/usage', '200').headers!)).toEqual(['X-Correlation-Id', 'RateLimit-Policy', 'RateLimit']);
    expect(Object.keys(response('GET /v1/usage', '429').headers!)).toEqual(
      expect.arrayContaining(['Retry-After', 'RateLimit-Policy', 'RateLimit']),
    );
    expect(response('POST /v1/messages', '201').headers).toHaveProperty('Idempotent-Replayed');
    expect(response('POST /admin/projects', '201').headers).not.toHaveProperty('RateLimit');
    const key = op('POST /v1/messages').parameters!.find((p) => (p as ParameterObject).name === 'Idempotency-Key') as ParameterObject;
    expect(key.schema).toEqual({ type: 'string', minLength: 1, maxLength: 255 });
  });

  it('states path parameters, validation rules and string formats as the api checks them', () => {
    const param = (label: string, name: string) =>
      (op(label).parameters!.find((p) => (p as ParameterObject).name === name) as ParameterObject).schema as SchemaObject;
    expect(param('GET /v1/calls/{callId}', 'callId').pattern).toBe('^call_[0-9A-Za-z]{1,64}$');
    expect(param('GET /v1/flows/{flowId}/versions/{version}', 'version')).toMatchObject({ type: 'integer', minimum: 1 });
    expect(param('GET /v1/messages', 'limit')).toMatchObject({ type: 'integer', minimum: 1, maximum: 100 });
    expect(param('GET /v1/messages', 'to')).toMatchObject({ maxLength: 64 });
    expect(schema('CreateProjectDto')).toMatchObject({
      additionalProperties: false,
      properties: { name: { minLength: 1, maxLength: 100 }, default_callback_url: { nullable: true, pattern: expect.any(String) } },
    });
    expect(schema('RateLimitDto').properties!.per_key).toMatchObject({ type: 'integer', minimum: 1 });
    expect((schema('CreateCallDto').properties!.from as SchemaObject).pattern).toBe('^\\+[1-9][0-9]{1,14}$');
  });

  it('keeps `day` out of the usage totals', () => {
    expect(schema('UsageTotalsDto').properties).not.toHaveProperty('day');
    expect(schema('UsageDayDto').required).toContain('day');
  });

  it('links each create to the operations on what it created', () => {
    expect(response('POST /v1/messages', '201').links).toEqual({
      MessagesController_get: { operationId: 'MessagesController_get', parameters: { messageId: '$response.body#/id' } },
    });
    expect(response('POST /v1/flows/{flowId}/versions', '201').links!.FlowsController_getVersion).toEqual({
      operationId: 'FlowsController_getVersion',
      parameters: { version: '$response.body#/version', flowId: '$request.path.flowId' },
    });
  });
});
