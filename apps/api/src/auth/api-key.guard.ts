import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { DataSource } from 'typeorm';
import { ApiKeyEntity, DATA_SOURCE } from '@gw/database';
import { DomainError, ErrorCode } from '@gw/errors';
import { apiKeyMatches, parseApiKey } from '@gw/security';

/** Request after ApiKeyGuard: the project the key belongs to. */
export type AuthedRequest = Request & { projectId: string };

/**
 * `Authorization: Bearer gw_live_...`: looks the key up by its prefix, compares the SHA-256 hash in
 * constant time, rejects revoked keys. 401 `unauthenticated` on any failure, without saying which.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(@Inject(DATA_SOURCE) private readonly ds: DataSource) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const req = ctx.switchToHttp().getRequest<AuthedRequest>();
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const key = match?.[1];
    const prefix = key ? parseApiKey(key) : null;
    if (!key || !prefix) throw new DomainError(ErrorCode.Unauthenticated, 'missing or malformed API key');
    const row = await this.ds.getRepository(ApiKeyEntity).findOneBy({ prefix });
    if (!row || row.revokedAt || !apiKeyMatches(key, row.keyHash)) {
      throw new DomainError(ErrorCode.Unauthenticated, 'invalid API key');
    }
    req.projectId = row.projectId;
    return true;
  }
}
