import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { DynamicModule, MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
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

/** One answered request, as both request loggers describe it. */
interface AnsweredRequest {
  id: string;
  method: string | undefined;
  url: string;
  remoteAddress: string | undefined;
  statusCode: number;
  responseTimeMs: number;
}

/**
 * Writes one line for an answered request, in pino-http's shape: `req` {id, method, url with
 * secret query values redacted, remoteAddress}, `correlation_id`, `res.statusCode`, `responseTime`
 * (ms); `info` "request completed", or `error` "request errored" for 5xx. Health probes are skipped.
 */
function logAnswered(logger: Logger, r: AnsweredRequest): void {
  const severity = r.statusCode >= 500 ? 'error' : 'info';
  if (isHealthProbe(r.url) || !logger.isLevelEnabled(severity)) return;
  logger[severity](
    {
      req: { id: r.id, method: r.method, url: redactUrl(r.url), remoteAddress: r.remoteAddress },
      correlation_id: r.id,
      res: { statusCode: r.statusCode },
      responseTime: Math.round(r.responseTimeMs),
    },
    r.statusCode >= 500 ? 'request errored' : 'request completed',
  );
}

/** Express middleware of loggerModule: sets `req.id` (the correlation id), echoes it, logs on finish. */
function expressRequestLogging(logger: Logger) {
  return (req: IncomingMessage & { id?: string }, res: ServerResponse, next: () => void): void => {
    const started = performance.now();
    const id = correlationIdOf(req);
    req.id = id;
    res.setHeader(CORRELATION_HEADER, id);
    res.once('finish', () =>
      logAnswered(logger, {
        id,
        method: req.method,
        url: req.url ?? '',
        remoteAddress: req.socket.remoteAddress,
        statusCode: res.statusCode,
        responseTimeMs: performance.now() - started,
      }),
    );
    next();
  };
}

/**
 * Structured JSON logging (pino) for an Express app: Nest's logs go to a pino logger (service name,
 * level, secrets and message text redacted), and a middleware on every route sets `req.id` to the
 * correlation id taken from `x-correlation-id` (or a new UUID, echoed back in the response header)
 * and writes one line per answered request (see logAnswered). Unlike pino-http under nestjs-pino,
 * it neither builds a child logger per request nor binds each request to an AsyncLocalStorage,
 * whose promise hooks then slowed every promise in the process. Logs go to `destination` (stdout
 * when absent).
 */
export function loggerModule(service: string, level: string, destination?: DestinationStream): DynamicModule {
  const logger: Logger = pino(pinoOptions(service, level), destination);
  const middleware = expressRequestLogging(logger);
  @Module({})
  class ExpressRequestLoggingModule implements NestModule {
    configure(consumer: MiddlewareConsumer): void {
      consumer.apply(middleware).forRoutes({ path: '{/*splat}', method: RequestMethod.ALL });
    }
  }
  return {
    module: ExpressRequestLoggingModule,
    // An empty `forRoutes` applies nestjs-pino's own middleware to no route; it still makes `logger`
    // the root of Nest's Logger.
    imports: [LoggerModule.forRoot({ pinoHttp: { logger }, forRoutes: [] })],
    exports: [LoggerModule],
  };
}

/**
 * Structured JSON logging for a Fastify app, without middleware: Nest's logs go to a pino logger
 * with the same options as `loggerModule`, and an `onResponse` hook on `fastify` writes one line
 * per answered request (see logAnswered). The correlation id is Fastify's request id (the app sets
 * `genReqId` to correlationIdOf), echoed in the `x-correlation-id` response header as
 * `loggerModule` does. pino-http would run through @fastify/middie and bind every request to an
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
    logAnswered(logger, {
      id: req.id,
      method: req.method,
      url: req.url,
      remoteAddress: req.socket.remoteAddress,
      statusCode: reply.statusCode,
      responseTimeMs: reply.elapsedTime,
    });
    done();
  });
  // An empty `forRoutes` applies the pino-http middleware to no route; nestjs-pino still makes
  // `logger` the root of Nest's Logger.
  return LoggerModule.forRoot({ pinoHttp: { logger }, forRoutes: [] });
}
