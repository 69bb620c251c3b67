import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { LRUCache } from 'lru-cache';
import { DataSource } from 'typeorm';
import { ApiKeyEntity, DATA_SOURCE } from '@gw/database';
import { DomainError, ErrorCode } from '@gw/errors';
import { apiKeyMatches, bearerToken, hashApiKey, parseApiKey } from '@gw/security';

/** Request after ApiKeyGuard: the project the key belongs to. */
export type AuthedRequest = FastifyRequest & { projectId: string };

/** How long a verified key is trusted without asking Postgres again: a revocation takes effect within this. */
export const API_KEY_CACHE_TTL_MS = 30_000;

/**
 * `Authorization: Bearer gw_live_...`: looks the key up by its prefix, compares the SHA-256 hash in
 * constant time, rejects revoked keys. 401 `unauthenticated` on any failure, without saying which.
 * Verified keys are cached in memory (by their hash, never the key) for API_KEY_CACHE_TTL_MS.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly verified = new LRUCache<string, string>({ max: 10_000, ttl: API_KEY_CACHE_TTL_MS });

  constructor(@Inject(DATA_SOURCE) private readonly ds: DataSource) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const req = ctx.switchToHttp().getRequest<AuthedRequest>();
    const key = bearerToken(req.headers.authorization);
    const prefix = key ? parseApiKey(key) : null;
    if (!key || !prefix) throw new DomainError(ErrorCode.Unauthenticated, 'missing or malformed API key');
    const keyHash = hashApiKey(key);
    const cached = this.verified.get(keyHash);
    if (cached) {
      req.projectId = cached;
      return true;
    }
    const row = await this.ds.getRepository(ApiKeyEntity).findOneBy({ prefix });
    if (!row || row.revokedAt || !apiKeyMatches(key, row.keyHash)) {
      throw new DomainError(ErrorCode.Unauthenticated, 'invalid API key');
    }
    this.verified.set(keyHash, row.projectId);
    req.projectId = row.projectId;
    return true;
  }
}
