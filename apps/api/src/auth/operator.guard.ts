import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { APP_CONFIG, ApiConfig } from '@gw/config';
import { DomainError, ErrorCode } from '@gw/errors';
import { constantTimeEqual } from '@gw/security';

/** Admin routes: `X-Operator-Secret` must equal OPERATOR_SECRET (constant-time compare). */
@Injectable()
export class OperatorGuard implements CanActivate {
  constructor(@Inject(APP_CONFIG) private readonly config: ApiConfig) {}

  canActivate(ctx: ExecutionContext): boolean {
    const given = String(ctx.switchToHttp().getRequest<FastifyRequest>().headers['x-operator-secret'] ?? '');
    if (!constantTimeEqual(given, this.config.OPERATOR_SECRET)) {
      throw new DomainError(ErrorCode.Unauthenticated, 'missing or wrong operator secret');
    }
    return true;
  }
}
