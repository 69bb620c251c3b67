import Fastify, { FastifyInstance } from 'fastify';
import { DomainError, httpStatusOf } from '@gw/errors';
import { answerMethodNotAllowed, routePatternRegExp } from './method-not-allowed';

describe('routePatternRegExp', () => {
  it('matches one segment per parameter and literal segments as they are', () => {
    const re = routePatternRegExp('/v1/calls/:callId/recordings/:recordingId');
    expect(re.test('/v1/calls/call_1/recordings/rec_2')).toBe(true);
    expect(re.test('/v1/calls/call_1/recordings')).toBe(false);
    expect(re.test('/v1/calls/a/b/recordings/rec_2')).toBe(false);
    expect(routePatternRegExp('/v1/flows.json').test('/v1/flowsXjson')).toBe(false);
  });
});

describe('answerMethodNotAllowed', () => {
  let app: FastifyInstance;

  beforeAll(async () => {
    app = Fastify();
    answerMethodNotAllowed(app);
    app.setErrorHandler((err, _req, reply) => {
      if (err instanceof DomainError) void reply.status(httpStatusOf(err.code)).send({ error: { code: err.code, message: err.message } });
      else void reply.status(500).send({ error: { code: 'internal_error' } });
    });
    app.get('/v1/messages', async () => ({ data: [] }));
    app.post('/v1/messages', async () => ({ id: 'msg_1' }));
    app.get('/v1/messages/:messageId', async () => ({ id: 'msg_1' }));
    await app.ready();
  });

  afterAll(() => app.close());

  it('answers 405 with the methods the path has in Allow', async () => {
    const res = await app.inject({ method: 'DELETE', url: '/v1/messages?limit=2' });
    expect(res.statusCode).toBe(405);
    expect(res.headers.allow).toBe('GET, HEAD, POST');
    expect(res.json().error.code).toBe('method_not_allowed');
    const one = await app.inject({ method: 'PUT', url: '/v1/messages/msg_1' });
    expect(one.statusCode).toBe(405);
    expect(one.headers.allow).toBe('GET, HEAD');
  });

  it('leaves a path without routes a 404 and a routed method alone', async () => {
    expect((await app.inject({ method: 'PUT', url: '/v1/nothing' })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/v1/messages/msg_1' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'HEAD', url: '/v1/messages' })).statusCode).toBe(200);
  });
});
