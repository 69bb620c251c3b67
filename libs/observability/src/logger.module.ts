import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { DynamicModule } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import { LoggerModule } from 'nestjs-pino';
import pino, { DestinationStream, Logger, LoggerOptions } from 'pino';

/** Header carrying the correlation id between services; generated when absent. */
export const CORRELATION_HEADER = 'x-correlation-id';

/** Log paths that may hold secrets or message content; pino replaces them with "[redacted]". */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers["x-operator-secret"]',
  'req.headers.cookie',
  'password',
  '*.password',
  'secret',
  '*.secret',
  'webhook_secret',
  '*.webhook_secret',
  'api_key',
  '*.api_key',
  'body',
  '*.body',
  'content',
  '*.content',
];

const SECRET_QUERY = /([?&](?:token|password|api_key|key)=)[^&]*/gi;

/** Removes secret query parameters (DLR tokens, Jasmin passwords) from a URL before it is logged. */
export function redactUrl(url: string): string {
  return url.replace(SECRET_QUERY, '$1[redacted]');
}

/**
 * The correlation id of a request: its `x-correlation-id` header when present (at most 128
 * characters), else a new UUID. Each app asks once per request (pino-http's `genReqId`, or
 * Fastify's), and the error filter reads the request id it set.
 */
export function correlationIdOf(req: IncomingMessage): string {
  const incoming = req.headers[CORRELATION_HEADER];
  return typeof incoming === 'string' && incoming.length > 0 && incoming.length <= 128 ? incoming : randomUUID();
}

/** pino options every app logs with: its service name and level, secrets and message text redacted. */
function pinoOptions(service: string, level: string): LoggerOptions {
  return { level, base: { service }, redact: { paths: REDACT_PATHS, censor: '[redacted]' } };
}

/** Health probes come every few seconds from the orchestrator; they are not logged. */
function isHealthProbe(url: string | undefined): boolean {
  return (url ?? '').startsWith('/health');
}

/**
 * Structured JSON logging (pino) for one app: request logs carry `req.id`, the correlation id taken
 * from `x-correlation-id` (or a new UUID, echoed back in the response header). Requests are logged
 * by pino-http, run as Nest middleware (the Express apps).
 */
export function loggerModule(service: string, level: string): DynamicModule {
  return LoggerModule.forRoot({
    pinoHttp: {
      ...pinoOptions(service, level),
      genReqId: (req: IncomingMessage, res) => {
        const id = correlationIdOf(req);
        res.setHeader(CORRELATION_HEADER, id);
        return id;
      },
      serializers: {
        req: (req: { id: string; method: string; url: string; remoteAddress?: string }) => ({
          id: req.id,
          method: req.method,
          url: redactUrl(req.url),
          remoteAddress: req.remoteAddress,
        }),
      },
      customAttributeKeys: { reqId: 'correlation_id' },
      autoLogging: { ignore: (req: IncomingMessage) => isHealthProbe(req.url) },
    },
  });
}

/**
 * Structured JSON logging for a Fastify app, without middleware: Nest's logs go to a pino logger
 * with the same options as `loggerModule`, and an `onResponse` hook on `fastify` writes one line
 * per answered request, in pino-http's shape (`req` {id, method, url, remoteAddress},
 * `correlation_id`, `res.statusCode`, `responseTime` in ms; `info` "request completed", or `error`
 * "request errored" for 5xx). The correlation id is Fastify's request id (the app sets `genReqId`
 * to correlationIdOf), echoed in the `x-correlation-id` response header as `loggerModule` does. pino-http would run through @fastify/middie and bind every request to an
 * AsyncLocalStorage, the largest single cost on the api's hot path (bench/api-throughput.ts). Logs
 * go to `destination` (stdout when absent). Returns the Nest module to import; call it before
 * Fastify is ready.
 */
export function fastifyLogging(fastify: FastifyInstance, service: string, level: string, destination?: DestinationStream): DynamicModule {
  const logger: Logger = pino(pinoOptions(service, level), destination);
  fastify.addHook('onRequest', (req, reply, done) => {
    reply.header(CORRELATION_HEADER, req.id);
    done();
  });
  fastify.addHook('onResponse', (req, reply, done) => {
    const status = reply.statusCode;
    const severity = status >= 500 ? 'error' : 'info';
    if (!isHealthProbe(req.url) && logger.isLevelEnabled(severity)) {
      logger[severity](
        {
          req: { id: req.id, method: req.method, url: redactUrl(req.url), remoteAddress: req.socket.remoteAddress },
          correlation_id: req.id,
          res: { statusCode: status },
          responseTime: Math.round(reply.elapsedTime),
        },
        status >= 500 ? 'request errored' : 'request completed',
      );
    }
    done();
  });
  // An empty `forRoutes` applies the pino-http middleware to no route; nestjs-pino still makes
  // `logger` the root of Nest's Logger.
  return LoggerModule.forRoot({ pinoHttp: { logger }, forRoutes: [] });
}
