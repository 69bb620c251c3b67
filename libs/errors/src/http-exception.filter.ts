import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpServer, Logger } from '@nestjs/common';
import { DomainError, ErrorCode, FieldError, httpStatusOf } from './domain-error';

const CORRELATION_HEADER = 'x-correlation-id';

/** JSON shape of every error the HTTP apps return. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; fields?: FieldError[]; correlation_id: string | undefined };
}

/** What the filter reads from a request, on Express and Fastify alike: `id` is the correlation id when logging set it. */
export interface ErrorRequest {
  headers: IncomingHttpHeaders;
  id?: unknown;
}

/** Name, message and stack only: driver errors carry query parameters (secrets, message text) that must not reach logs. */
function safeError(e: unknown): { type: string; message: string; stack?: string } {
  if (e instanceof Error) return { type: e.name, message: e.message, stack: e.stack };
  return { type: typeof e, message: 'non-error thrown' };
}

/**
 * The one place where errors become HTTP: DomainError by its code, Nest errors (Fastify's own
 * errors arrive as HttpExceptions carrying their status) by kind, anything else a 500 whose body
 * carries no internals (the log has the stack). Works on either HTTP adapter: replies go through
 * the app's `HttpServer` (Express or Fastify).
 */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpErrorFilter');

  constructor(private readonly http: HttpServer) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<ErrorRequest>();
    const res = ctx.getResponse<unknown>();
    const { status, body } = this.toBody(exception, req);
    if (!body.error.correlation_id) {
      body.error.correlation_id = randomUUID();
      this.http.setHeader(res, CORRELATION_HEADER, body.error.correlation_id);
    }
    if (status >= 500) this.logger.error({ err: safeError(exception), correlationId: body.error.correlation_id }, 'request failed');
    // The error body is JSON even on a route that declared another type for its success (the
    // carrier webhooks' text/plain acknowledgement), which Fastify would refuse to serialize.
    this.http.setHeader(res, 'content-type', 'application/json; charset=utf-8');
    this.http.reply(res, body, status);
  }

  private toBody(exception: unknown, req: ErrorRequest): { status: number; body: ErrorBody } {
    const header = req.headers[CORRELATION_HEADER];
    const correlation_id = typeof req.id === 'string' ? req.id : typeof header === 'string' ? header : undefined;
    const make = (code: ErrorCode, message: string, fields?: FieldError[], status = httpStatusOf(code)) => ({
      status,
      body: { error: { code, message, ...(fields && fields.length ? { fields } : {}), correlation_id } },
    });
    if (exception instanceof DomainError) return make(exception.code, exception.message, exception.fields);
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      if (status === 404) return make(ErrorCode.NotFound, 'route not found');
      if (status === 413) return make(ErrorCode.PayloadTooLarge, 'request body too large', [{ field: 'body', message: 'too large' }]);
      if (status === 415) return make(ErrorCode.UnsupportedMediaType, exception.message);
      if (status < 500) return make(ErrorCode.ValidationFailed, exception.message, undefined, status);
    }
    return make(ErrorCode.Internal, 'internal error');
  }
}
