import { CanActivate, ExecutionContext, Inject, Injectable, Optional } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { LRUCache } from 'lru-cache';
import { DataSource } from 'typeorm';
import { ApiKeyEntity, DATA_SOURCE, ProjectEntity } from '@gw/database';
import { DomainError, ErrorCode } from '@gw/errors';
import { requiredScope } from './scopes';
import { apiKeyMatches, bearerToken, hashApiKey, JwtRejectedError, JwtVerifier, looksLikeJwt, parseApiKey } from '@gw/security';

/**
 * Request after ProjectAuthGuard: the project the credential speaks for, the JWT's scopes (null
 * for an API key), and which credential it was (`key:<prefix>`, or `jwt:<sub>` with `jwt:` alone
 * for a token without `sub`), never the secret itself.
 */
export type AuthedRequest = FastifyRequest & { projectId: string; scopes: string[] | null; credential: string };

/** How long a verified key is trusted without asking Postgres again: a revocation takes effect within this. */
export const API_KEY_CACHE_TTL_MS = 30_000;

/** Injection token of the JwtVerifier; absent when no JWKS is configured (JWT_JWKS_URLS). */
export const JWT_VERIFIER = Symbol('JWT_VERIFIER');

/**
 * `Authorization: Bearer <credential>`, either
 * - an API key `gw_live_...`: looked up by its prefix, its SHA-256 hash compared in constant time,
 *   revoked keys rejected; verified keys are cached in memory (by their hash, never the key) for
 *   API_KEY_CACHE_TTL_MS; or
 * - a JWT of an internal service (when JWT_JWKS_URLS is set): verified by JwtVerifier, its project
 *   claim naming an existing project (cached the same way), its scopes holding the one the route
 *   needs (see requiredScope; API keys carry every scope).
 * 401 `unauthenticated` on any failure, without saying more than which kind of credential failed;
 * 403 `forbidden` naming the scope a token lacks.
 */
@Injectable()
export class ProjectAuthGuard implements CanActivate {
  private readonly verified = new LRUCache<string, string>({ max: 10_000, ttl: API_KEY_CACHE_TTL_MS });
  private readonly projects = new LRUCache<string, true>({ max: 10_000, ttl: API_KEY_CACHE_TTL_MS });

  constructor(
    @Inject(DATA_SOURCE) private readonly ds: DataSource,
    @Optional() @Inject(JWT_VERIFIER) private readonly jwt: JwtVerifier | null = null,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const req = ctx.switchToHttp().getRequest<AuthedRequest>();
    const token = bearerToken(req.headers.authorization);
    if (!token) throw new DomainError(ErrorCode.Unauthenticated, 'missing or malformed API key or token');
    const prefix = parseApiKey(token);
    if (prefix) {
      req.projectId = await this.byApiKey(token, prefix);
      req.scopes = null;
      req.credential = `key:${prefix}`;
      return true;
    }
    if (this.jwt && looksLikeJwt(token)) {
      const principal = await this.jwt.verify(token).catch((err: unknown) => {
        throw new DomainError(
          ErrorCode.Unauthenticated,
          err instanceof JwtRejectedError ? `invalid token: ${err.reason}` : 'invalid token',
        );
      });
      if (!(await this.projectExists(principal.projectId)))
        throw new DomainError(ErrorCode.Unauthenticated, 'invalid token: unknown project');
      const needed = requiredScope(req.method, req.routeOptions.url);
      if (needed && !principal.scopes.includes(needed)) throw new DomainError(ErrorCode.Forbidden, `the token lacks the scope ${needed}`);
      req.projectId = principal.projectId;
      req.scopes = principal.scopes;
      req.credential = `jwt:${principal.subject ?? ''}`;
      return true;
    }
    throw new DomainError(ErrorCode.Unauthenticated, 'missing or malformed API key or token');
  }

  private async byApiKey(key: string, prefix: string): Promise<string> {
    const keyHash = hashApiKey(key);
    const cached = this.verified.get(keyHash);
    if (cached) return cached;
    const row = await this.ds.getRepository(ApiKeyEntity).findOneBy({ prefix });
    if (!row || row.revokedAt || !apiKeyMatches(key, row.keyHash)) throw new DomainError(ErrorCode.Unauthenticated, 'invalid API key');
    this.verified.set(keyHash, row.projectId);
    return row.projectId;
  }

  private async projectExists(projectId: string): Promise<boolean> {
    if (this.projects.get(projectId)) return true;
    const found = await this.ds.getRepository(ProjectEntity).existsBy({ id: projectId });
    if (found) this.projects.set(projectId, true);
    return found;
  }
}
