import { Controller, Get, Module, Req } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import Fastify, { FastifyInstance } from 'fastify';
import { correlationIdOf, fastifyLogging, loggerModule, redactUrl } from './logger.module';

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

describe('loggerModule (Express apps)', () => {
  @Controller()
  class ProbeController {
    @Get('v1/things')
    things(@Req() req: { id?: string }): { seen_id: string | undefined } {
      return { seen_id: req.id };
    }

    @Get('health/live')
    live(): { status: string } {
      return { status: 'ok' };
    }

    @Get('boom')
    boom(): never {
      throw new Error('boom');
    }
  }

  async function appLoggingTo(
    level: string,
  ): Promise<{ app: NestExpressApplication; base: string; lines: Array<Record<string, unknown>> }> {
    const lines: Array<Record<string, unknown>> = [];
    const destination = { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) };
    @Module({ imports: [loggerModule('probe', level, destination)], controllers: [ProbeController] })
    class ProbeModule {}
    const app = await NestFactory.create<NestExpressApplication>(ProbeModule, { logger: false });
    await app.listen(0, '127.0.0.1');
    return { app, base: await app.getUrl(), lines };
  }

  it('sets req.id to the correlation id, echoes it, and writes one line per request without secrets', async () => {
    const { app, base, lines } = await appLoggingTo('info');
    const res = await fetch(`${base}/v1/things?token=s3cret`, { headers: { 'x-correlation-id': 'corr-9' } });
    expect(res.headers.get('x-correlation-id')).toBe('corr-9');
    expect(await res.json()).toEqual({ seen_id: 'corr-9' });
    const fresh = await fetch(`${base}/v1/things`);
    expect(fresh.headers.get('x-correlation-id')).toMatch(/^[0-9a-f-]{36}$/);
    await app.close();
    const requests = lines.filter((l) => l.msg === 'request completed');
    expect(requests).toHaveLength(2);
    expect(requests[0]).toMatchObject({
      level: 30,
      service: 'probe',
      correlation_id: 'corr-9',
      req: { id: 'corr-9', method: 'GET', url: '/v1/things?token=[redacted]' },
      res: { statusCode: 200 },
      responseTime: expect.any(Number),
    });
    expect(JSON.stringify(lines)).not.toMatch(/s3cret/);
  });

  it('logs a 5xx at error level, skips health probes, and writes no request line below its level', async () => {
    const info = await appLoggingTo('info');
    await fetch(`${info.base}/health/live`);
    await fetch(`${info.base}/boom`);
    await info.app.close();
    expect(info.lines.filter((l) => l.req)).toEqual([
      expect.objectContaining({ level: 50, msg: 'request errored', res: { statusCode: 500 } }),
    ]);
    const warn = await appLoggingTo('warn');
    await fetch(`${warn.base}/v1/things`);
    await warn.app.close();
    expect(warn.lines.filter((l) => l.req)).toEqual([]);
  });
});
