import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { APP_CONFIG, ApiConfig } from '@gw/config';
import { DomainError, ErrorCode } from '@gw/errors';

/** Admin routes: `X-Operator-Secret` must equal OPERATOR_SECRET (constant-time compare). */
@Injectable()
export class OperatorGuard implements CanActivate {
  constructor(@Inject(APP_CONFIG) private readonly config: ApiConfig) {}

  canActivate(ctx: ExecutionContext): boolean {
    const given = Buffer.from(String(ctx.switchToHttp().getRequest<FastifyRequest>().headers['x-operator-secret'] ?? ''));
    const expected = Buffer.from(this.config.OPERATOR_SECRET);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new DomainError(ErrorCode.Unauthenticated, 'missing or wrong operator secret');
    }
    return true;
  }
}
