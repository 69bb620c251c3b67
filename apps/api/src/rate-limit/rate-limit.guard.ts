import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { APP_CONFIG, type ApiConfig } from '@gw/config';
import { DomainError, ErrorCode } from '@gw/errors';
import type { AuthedRequest } from '../auth/project-auth.guard';
import { rateLimitClassOf } from './classes';
import { rateLimitField, rateLimitPolicyField, retryAfterSeconds, tighterLimit } from './headers';
import { RateLimitPolicies } from './policies';
import { LimitPolicy, RedisRateLimiter } from './redis-rate-limiter';

/**
 * Rate limits of the authenticated routes; listed after ProjectAuthGuard, whose `projectId` and
 * `credential` it reads. Each request counts against two limits of its endpoint class
 * (rateLimitClassOf): its credential's (`<class>/key`) and its project's (`<class>/project`).
 * Every answer carries `RateLimit-Policy` and `RateLimit` (see ./headers) for the tighter of the
 * two; over either, 429 `rate_limited` naming the limit, with `Retry-After`. When Redis cannot be
 * asked the request passes with `RateLimit-Policy` only (see RedisRateLimiter). With
 * RATE_LIMITING=off every request passes and no header is sent.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly enabled: boolean;

  constructor(
    private readonly policies: RateLimitPolicies,
    private readonly limiter: RedisRateLimiter,
    @Inject(APP_CONFIG) config: Pick<ApiConfig, 'RATE_LIMITING'>,
  ) {
    this.enabled = config.RATE_LIMITING === 'on';
  }

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (!this.enabled) return true;
    const req = ctx.switchToHttp().getRequest<AuthedRequest>();
    const reply = ctx.switchToHttp().getResponse<FastifyReply>();
    const cls = rateLimitClassOf(req.method, req.routeOptions.url);
    if (!cls) return true;
    const limit = await this.policies.limitOf(req.projectId, cls);
    const window = `${cls}:${limit.window_s}`;
    const policies: LimitPolicy[] = [
      { name: `${cls}/key`, key: `${window}:key:${req.projectId}:${req.credential}`, quota: limit.per_key, windowS: limit.window_s },
      { name: `${cls}/project`, key: `${window}:project:${req.projectId}`, quota: limit.per_project, windowS: limit.window_s },
    ];
    const states = await this.limiter.consume(policies);
    if (!states) {
      const smaller = policies.reduce((a, b) => (b.quota < a.quota ? b : a));
      reply.header('ratelimit-policy', rateLimitPolicyField(smaller));
      return true;
    }
    const tighter = tighterLimit(states);
    reply.header('ratelimit-policy', rateLimitPolicyField(tighter));
    reply.header('ratelimit', rateLimitField(tighter));
    if (!tighter.exceeded) return true;
    const retryAfter = retryAfterSeconds(states);
    reply.header('retry-after', String(retryAfter));
    throw new DomainError(
      ErrorCode.RateLimited,
      `rate limit ${tighter.name} exceeded (${tighter.quota} requests per ${tighter.windowS} s); retry in ${retryAfter} s`,
    );
  }
}
