import Fastify, { FastifyInstance } from 'fastify';
import { correlationIdOf, fastifyLogging, redactUrl } from './logger.module';

describe('redactUrl', () => {
  it('hides DLR tokens and passwords in query strings', () => {
    expect(redactUrl('/webhooks/jasmin/dlr?msg=msg_1&token=abc123')).toBe('/webhooks/jasmin/dlr?msg=msg_1&token=[redacted]');
    expect(redactUrl('/send?username=gw&password=s3cret&to=1')).toBe('/send?username=gw&password=[redacted]&to=1');
  });

  it('leaves other parameters alone', () => {
    expect(redactUrl('/v1/messages?status=sent&limit=5')).toBe('/v1/messages?status=sent&limit=5');
  });
});

describe('fastifyLogging', () => {
  async function appLoggingTo(level: string): Promise<{ app: FastifyInstance; lines: Array<Record<string, unknown>> }> {
    const lines: Array<Record<string, unknown>> = [];
    const app = Fastify({ genReqId: correlationIdOf });
    fastifyLogging(app, 'api', level, { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) });
    app.get('/v1/messages', () => ({ data: [] }));
    app.get('/health/live', () => ({ status: 'ok' }));
    app.get('/boom', () => {
      throw new Error('boom');
    });
    await app.ready();
    return { app, lines };
  }

  it('writes one line per request with the correlation id, status and time, and no secrets', async () => {
    const { app, lines } = await appLoggingTo('info');
    await app.inject({
      url: '/v1/messages?status=sent&token=s3cret',
      headers: { 'x-correlation-id': 'corr-1', authorization: 'Bearer gw_live_secretkey' },
    });
    await app.close();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 30,
      service: 'api',
      msg: 'request completed',
      correlation_id: 'corr-1',
      req: { id: 'corr-1', method: 'GET', url: '/v1/messages?status=sent&token=[redacted]' },
      res: { statusCode: 200 },
      responseTime: expect.any(Number),
    });
    expect(JSON.stringify(lines)).not.toMatch(/s3cret|secretkey/);
  });

  it('logs a 5xx at error level, skips health probes, and writes nothing below its level', async () => {
    const info = await appLoggingTo('info');
    await info.app.inject({ url: '/health/live' });
    await info.app.inject({ url: '/boom' });
    await info.app.close();
    expect(info.lines).toEqual([expect.objectContaining({ level: 50, msg: 'request errored', res: { statusCode: 500 } })]);
    const warn = await appLoggingTo('warn');
    await warn.app.inject({ url: '/v1/messages' });
    await warn.app.close();
    expect(warn.lines).toEqual([]);
  });
});
