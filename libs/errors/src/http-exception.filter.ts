import { randomUUID } from 'node:crypto';
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainError, ErrorCode, FieldError, httpStatusOf } from './domain-error';

const CORRELATION_HEADER = 'x-correlation-id';

/** JSON shape of every error the HTTP apps return. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; fields?: FieldError[]; correlation_id: string | undefined };
}

/** Name, message and stack only: driver errors carry query parameters (secrets, message text) that must not reach logs. */
function safeError(e: unknown): { type: string; message: string; stack?: string } {
  if (e instanceof Error) return { type: e.name, message: e.message, stack: e.stack };
  return { type: typeof e, message: 'non-error thrown' };
}

/**
 * The one place where errors become HTTP: DomainError by its code, Nest/body-parser errors by
 * kind, anything else a 500 whose body carries no internals (the log has the stack).
 */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpErrorFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<Request>();
    const res = ctx.getResponse<Response>();
    const { status, body } = this.toBody(exception, req);
    if (!body.error.correlation_id) {
      body.error.correlation_id = randomUUID();
      res.setHeader(CORRELATION_HEADER, body.error.correlation_id);
    }
    if (status >= 500) this.logger.error({ err: safeError(exception), correlationId: body.error.correlation_id }, 'request failed');
    res.status(status).json(body);
  }

  private toBody(exception: unknown, req: Request): { status: number; body: ErrorBody } {
    const header = req.headers[CORRELATION_HEADER];
    const correlation_id = (req as Request & { id?: string }).id ?? (typeof header === 'string' ? header : undefined);
    const make = (code: ErrorCode, message: string, fields?: FieldError[], status = httpStatusOf(code)) => ({
      status,
      body: { error: { code, message, ...(fields && fields.length ? { fields } : {}), correlation_id } },
    });
    if (exception instanceof DomainError) return make(exception.code, exception.message, exception.fields);
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      if (status === 404) return make(ErrorCode.NotFound, 'route not found');
      if (status === 415) return make(ErrorCode.UnsupportedMediaType, exception.message);
      if (status < 500) return make(ErrorCode.ValidationFailed, exception.message, undefined, status);
    }
    return make(ErrorCode.Internal, 'internal error');
  }
}
