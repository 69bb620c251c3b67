import { CanActivate, ExecutionContext, Inject, Injectable, Optional } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { LRUCache } from 'lru-cache';
import { DataSource } from 'typeorm';
import { DATA_SOURCE, projectExists } from '@gw/database';
import { DomainError, ErrorCode } from '@gw/errors';
import { apiKeyMatches, bearerToken, JwtRejectedError, JwtVerifier, looksLikeJwt, parseApiKey } from '@gw/security';
import { API_KEY_CACHE_TTL_MS, ApiKeyCache, CachedKey } from '../keys/api-key-cache';
import { ApiKeysRepository } from '../keys/api-keys.repository';
import { requiredScope } from './scopes';

/**
 * Request after ProjectAuthGuard: the project the credential speaks for, its scopes (null for an
 * API key without scopes: every scope), and which credential it was (`key:<prefix>`, or `jwt:<sub>` with `jwt:` alone
 * for a token without `sub`), never the secret itself.
 */
export type AuthedRequest = FastifyRequest & { projectId: string; scopes: string[] | null; credential: string };

/** Injection token of the JwtVerifier; absent when no JWKS is configured (JWT_JWKS_URLS). */
export const JWT_VERIFIER = Symbol('JWT_VERIFIER');

/**
 * `Authorization: Bearer <credential>`, either
 * - an API key `gw_live_...`: looked up by its prefix, its SHA-256 hash compared in constant time,
 *   revoked and expired keys rejected; key rows are cached in ApiKeyCache (by prefix, never the
 *   key), from which a revocation removes them on every api process at once; or
 * - a JWT of an internal service (when JWT_JWKS_URLS is set): verified by JwtVerifier, its project
 *   claim naming an existing project (cached for API_KEY_CACHE_TTL_MS).
 * Either way the credential's scopes must hold the one the route needs (see requiredScope; a key
 * without scopes has every scope).
 * 401 `unauthenticated` on any failure, without saying more than which kind of credential failed;
 * 403 `forbidden` naming the scope the credential lacks.
 */
@Injectable()
export class ProjectAuthGuard implements CanActivate {
  private readonly projects = new LRUCache<string, true>({ max: 10_000, ttl: API_KEY_CACHE_TTL_MS });

  constructor(
    @Inject(DATA_SOURCE) private readonly ds: DataSource,
    private readonly keys: ApiKeysRepository,
    private readonly cache: ApiKeyCache,
    @Optional() @Inject(JWT_VERIFIER) private readonly jwt: JwtVerifier | null = null,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const req = ctx.switchToHttp().getRequest<AuthedRequest>();
    const token = bearerToken(req.headers.authorization);
    if (!token) throw new DomainError(ErrorCode.Unauthenticated, 'missing or malformed API key or token');
    const prefix = parseApiKey(token);
    if (prefix) {
      const key = await this.byApiKey(token, prefix);
      this.requireScope(req, key.scopes, 'API key');
      req.projectId = key.projectId;
      req.scopes = key.scopes;
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
      if (!(await this.knownProject(principal.projectId)))
        throw new DomainError(ErrorCode.Unauthenticated, 'invalid token: unknown project');
      this.requireScope(req, principal.scopes, 'token');
      req.projectId = principal.projectId;
      req.scopes = principal.scopes;
      req.credential = `jwt:${principal.subject ?? ''}`;
      return true;
    }
    throw new DomainError(ErrorCode.Unauthenticated, 'missing or malformed API key or token');
  }

  /** @throws DomainError forbidden naming the scope the route needs when `scopes` (null: all) lack it */
  private requireScope(req: AuthedRequest, scopes: string[] | null, what: string): void {
    if (!scopes) return;
    const needed = requiredScope(req.method, req.routeOptions.url);
    if (needed && !scopes.includes(needed)) throw new DomainError(ErrorCode.Forbidden, `the ${what} lacks the scope ${needed}`);
  }

  private async byApiKey(key: string, prefix: string): Promise<CachedKey> {
    let cached = this.cache.get(prefix);
    if (!cached) {
      const row = await this.keys.byPrefix(prefix);
      if (!row || row.revokedAt) throw new DomainError(ErrorCode.Unauthenticated, 'invalid API key');
      cached = { hash: row.keyHash, projectId: row.projectId, scopes: row.scopes, expiresAtMs: row.expiresAt?.getTime() ?? null };
      this.cache.set(prefix, cached);
    }
    if (!apiKeyMatches(key, cached.hash)) throw new DomainError(ErrorCode.Unauthenticated, 'invalid API key');
    if (cached.expiresAtMs !== null && cached.expiresAtMs <= Date.now())
      throw new DomainError(ErrorCode.Unauthenticated, 'API key expired');
    return cached;
  }

  private async knownProject(projectId: string): Promise<boolean> {
    if (this.projects.get(projectId)) return true;
    const found = await projectExists(this.ds.manager, projectId);
    if (found) this.projects.set(projectId, true);
    return found;
  }
}
