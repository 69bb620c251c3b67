import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { AuditContext } from './audit-log.repository';

/**
 * The audit context of a request: `credential` set by ProjectAuthGuard (`key:<prefix>` or
 * `jwt:<sub>`), else `operator` (routes behind OperatorGuard); the peer address as Fastify sees it
 * (Fastify's `req.ip`) and the User-Agent (at most
 * 200 characters).
 */
export const Actor = createParamDecorator((_: unknown, ctx: ExecutionContext): AuditContext => {
  const req = ctx.switchToHttp().getRequest<FastifyRequest & { credential?: string }>();
  const ua = req.headers['user-agent'];
  return { actor: req.credential ?? 'operator', ip: req.ip ?? null, userAgent: typeof ua === 'string' ? ua.slice(0, 200) : null };
});
