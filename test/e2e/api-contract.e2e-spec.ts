import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import Ajv from 'ajv';
import { request } from 'undici';
import { E2e, env } from '../support/e2e';

type Doc = { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>> };

/** A raw answer of the running api. */
async function raw(
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<{ status: number; headers: Record<string, unknown>; body: unknown }> {
  const res = await request(`http://127.0.0.1:${env('API_PORT')}${path}`, {
    method: method as 'GET',
    headers,
    body,
    signal: AbortSignal.timeout(10000),
  });
  const text = await res.body.text();
  return { status: res.statusCode, headers: res.headers, body: text ? (JSON.parse(text) as unknown) : null };
}

/**
 * The running api answers as its OpenAPI document says: it serves the committed document, errors
 * have the documented body for their status and carry X-Correlation-Id, malformed path ids and a
 * method a path does not have are 4xx, and the usage totals match their schema.
 */
describe('API contract', () => {
  const t = new E2e();
  let key: Record<string, string>;
  let doc: Doc;
  // OpenAPI 3.0 schemas are JSON Schema with a few more keywords (nullable, example) that ajv may
  // ignore; the API's own string formats (e164 ...) come with their patterns.
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });

  /** Checks an answer against the document's schema for its operation and status. */
  const conforms = (path: string, method: string, answer: { status: number; body: unknown }) => {
    const res = doc.paths[path][method].responses[String(answer.status)];
    expect([path, method, answer.status, res !== undefined]).toEqual([path, method, answer.status, true]);
    const pointer = ['paths', path, method, 'responses', String(answer.status), 'content', 'application/json', 'schema']
      .map((s) => s.replace(/~/g, '~0').replace(/\//g, '~1'))
      .join('/');
    const validate = ajv.getSchema(`openapi#/${pointer}`)!;
    expect([answer.body, validate(answer.body) ? [] : validate.errors]).toEqual([answer.body, []]);
  };

  beforeAll(async () => {
    await t.start();
    key = { authorization: `Bearer ${(await t.api.createProject(env('OPERATOR_SECRET'), 'contract')).api_key}` };
    doc = (await raw('GET', '/docs-json')).body as Doc;
    ajv.addSchema(doc as object, 'openapi');
  });
  afterAll(() => t.stop());

  it('serves the committed apps/api/openapi.json', () => {
    const committed = JSON.parse(readFileSync(resolve(__dirname, '..', '..', 'apps/api/openapi.json'), 'utf8')) as unknown;
    expect(doc).toEqual(committed);
  });

  it('answers a method a path does not have with 405 and Allow', async () => {
    const res = await raw('DELETE', '/v1/messages', key);
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET, HEAD, POST');
    expect(res.body).toMatchObject({ error: { code: 'method_not_allowed' } });
    expect(res.headers['x-correlation-id']).toEqual((res.body as { error: { correlation_id: string } }).error.correlation_id);
  });

  it('answers a malformed path id, and a version too large for the database, with a 400 naming it', async () => {
    const byId = await raw('GET', '/v1/messages/not-a-message', key);
    expect(byId.status).toBe(400);
    expect(byId.body).toMatchObject({ error: { fields: [{ field: 'messageId', message: 'must be a message id (msg_...)' }] } });
    conforms('/v1/messages/{messageId}', 'get', byId);
    const version = await raw('GET', '/v1/flows/flw_3kT9aQ2xY7bN5mP1cR8dV4wZ/versions/99999999999', key);
    expect(version.status).toBe(400);
    expect(version.body).toMatchObject({ error: { fields: [{ field: 'version' }] } });
    const unknown = await raw('GET', '/v1/messages/msg_3kT9aQ2xY7bN5mP1cR8dV4wZ', key);
    expect(unknown.status).toBe(404);
    conforms('/v1/messages/{messageId}', 'get', unknown);
  });

  it('gives every error the documented body of its status and the request its correlation id', async () => {
    const json = { ...key, 'content-type': 'application/json' };
    const answers: Array<[string, string, Awaited<ReturnType<typeof raw>>]> = [
      ['/v1/messages', 'get', await raw('GET', '/v1/messages')],
      ['/v1/messages', 'get', await raw('GET', '/v1/messages?limit=0', key)],
      ['/v1/messages', 'post', await raw('POST', '/v1/messages', json, '{"to":')],
      [
        '/v1/messages',
        'post',
        await raw('POST', '/v1/messages', json, JSON.stringify({ to: '+1', from: 'ACME', body: 'x'.repeat(70000) })),
      ],
      ['/v1/messages', 'post', await raw('POST', '/v1/messages', { ...key, 'content-type': 'application/xml' }, '<a/>')],
      ['/admin/projects', 'post', await raw('POST', '/admin/projects', { 'content-type': 'application/json' }, '{"name":"x"}')],
    ];
    expect(answers.map(([, , a]) => a.status)).toEqual([401, 400, 400, 413, 415, 401]);
    for (const [path, method, answer] of answers) conforms(path, method, answer);
    const traced = await raw('GET', '/v1/messages/nope', { ...key, 'x-correlation-id': 'contract-1' });
    expect(traced.headers['x-correlation-id']).toBe('contract-1');
    expect(traced.body).toMatchObject({ error: { correlation_id: 'contract-1' } });
  });

  it('answers usage as its schema says, totals without a day', async () => {
    const usage = await raw('GET', '/v1/usage?from=2026-11-01&to=2026-11-30', key);
    expect(usage.status).toBe(200);
    conforms('/v1/usage', 'get', usage);
    expect((usage.body as { totals: object }).totals).not.toHaveProperty('day');
    expect(usage.headers['x-correlation-id']).toEqual(expect.any(String));
  });
});
