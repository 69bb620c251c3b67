import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';

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

const correlationIds = new WeakMap<IncomingMessage, string>();

/**
 * The correlation id of a request: its `x-correlation-id` header when present (at most 128
 * characters), else a new UUID. Memoized per request, so the HTTP platform's request id and the
 * log's `correlation_id` are the same value even when each asks separately.
 */
export function correlationIdOf(req: IncomingMessage): string {
  let id = correlationIds.get(req);
  if (id === undefined) {
    const incoming = req.headers[CORRELATION_HEADER];
    id = typeof incoming === 'string' && incoming.length > 0 && incoming.length <= 128 ? incoming : randomUUID();
    correlationIds.set(req, id);
  }
  return id;
}

/**
 * Structured JSON logging (pino) for one app: request logs carry `req.id`, the correlation id taken
 * from `x-correlation-id` (or a new UUID, echoed back in the response header).
 */
export function loggerModule(service: string, level: string): DynamicModule {
  return LoggerModule.forRoot({
    pinoHttp: {
      level,
      base: { service },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
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
      autoLogging: { ignore: (req: IncomingMessage) => (req.url ?? '').startsWith('/health') },
    },
  });
}
