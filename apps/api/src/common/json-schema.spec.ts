import Fastify, { FastifyInstance } from 'fastify';
import { DomainError, ErrorCode, FieldError } from '@gw/errors';
import { CreateMessageBody } from '../messages/dto/create-message.dto';
import { jsonSchemaValidation } from './json-schema';

/** A Fastify app configured as the api is, with one route validating CreateMessageBody. */
async function appWithSchema(): Promise<FastifyInstance> {
  const app = Fastify(jsonSchemaValidation);
  app.setErrorHandler((err, _req, reply) => {
    const e = err as unknown as DomainError;
    void reply.code(400).send({ code: e.code, fields: e.fields });
  });
  app.post('/v1/messages', { schema: { body: CreateMessageBody } }, (req) => ({ accepted: req.body }));
  await app.ready();
  return app;
}

describe('jsonSchemaValidation (POST /v1/messages body)', () => {
  let app: FastifyInstance;
  const good = { to: '+14155550100', from: 'ACME', body: 'hi' };

  beforeAll(async () => {
    app = await appWithSchema();
  });
  afterAll(() => app.close());

  async function post(payload: unknown): Promise<{ status: number; body: { code?: string; fields?: FieldError[]; accepted?: unknown } }> {
    const res = await app.inject({ method: 'POST', url: '/v1/messages', payload: payload as object });
    return { status: res.statusCode, body: res.json() };
  }

  it('accepts a valid body unchanged, optional fields included', async () => {
    const full = { ...good, status_callback: 'http://callbacks.svc:8080/sms', validity_period: 3600 };
    expect(await post(full)).toEqual({ status: 200, body: { accepted: full } });
    expect((await post({ ...good, from: '+447911123456' })).status).toBe(200);
  });

  it('names every failing field at once, each with what is wrong', async () => {
    const res = await post({ to: 14155550100, from: 'ABCDEFGHIJKL', body: '', validity_period: '3600', status_callback: 'not a url' });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe(ErrorCode.ValidationFailed);
    expect(res.body.fields).toEqual(
      expect.arrayContaining([
        { field: 'to', message: 'must be a string' },
        { field: 'from', message: 'must be an E.164 number or an alphanumeric sender id of at most 11 characters' },
        { field: 'body', message: 'must not be empty' },
        { field: 'validity_period', message: 'must be an integer' },
        { field: 'status_callback', message: 'must be an http(s) URL' },
      ]),
    );
  });

  it('reports missing and unknown fields by name, and never drops an unknown field silently', async () => {
    const res = await post({ from: 'ACME', body: 'hi', priority: 'high' });
    expect(res.status).toBe(400);
    expect(res.body.fields).toEqual(
      expect.arrayContaining([
        { field: 'to', message: 'is required' },
        { field: 'priority', message: 'is not an accepted field' },
      ]),
    );
  });

  it('coerces nothing: a numeric string is not an integer, a number is not a string', async () => {
    expect((await post({ ...good, validity_period: '3600' })).body.fields).toEqual([
      { field: 'validity_period', message: 'must be an integer' },
    ]);
    expect((await post({ ...good, body: 42 })).body.fields).toEqual([{ field: 'body', message: 'must be a string' }]);
  });

  it('applies the E.164, length and range rules', async () => {
    for (const to of ['4155550100', '+1415555abcd', '+1234567890123456', '+0123']) {
      expect((await post({ ...good, to })).body.fields).toEqual([{ field: 'to', message: 'must be an E.164 number such as +14155550100' }]);
    }
    expect((await post({ ...good, body: 'a'.repeat(1601) })).body.fields).toEqual([
      { field: 'body', message: 'must be at most 1600 characters' },
    ]);
    expect((await post({ ...good, body: '😀'.repeat(1600) })).status).toBe(200);
    expect((await post({ ...good, validity_period: 59 })).body.fields).toEqual([{ field: 'validity_period', message: 'must be >= 60' }]);
    expect((await post({ ...good, validity_period: 345601 })).body.fields).toEqual([
      { field: 'validity_period', message: 'must be <= 345600' },
    ]);
  });

  it('names the body itself when it is not an object', async () => {
    for (const payload of [[], 'x', null]) {
      const res = await app.inject({
        method: 'POST',
        url: '/v1/messages',
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify(payload),
      });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual({ code: ErrorCode.ValidationFailed, fields: [{ field: 'body', message: 'must be an object' }] });
    }
  });
});
