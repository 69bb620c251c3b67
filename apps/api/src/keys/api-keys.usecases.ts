import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ApiKeyEntity, DATA_SOURCE, projectExists } from '@gw/database';
import { DomainError, ErrorCode } from '@gw/errors';
import { AuditContext, AuditLogRepository } from '../audit/audit-log.repository';
import { ApiKeysRepository } from './api-keys.repository';
import { KeyRevocations } from './key-revocations';
import type {
  ApiKeyDto,
  ApiKeyPageDto,
  CreateApiKeyDto,
  CreatedApiKeyDto,
  RotatedApiKeyDto,
  RotatedWebhookSecretDto,
} from './dto/api-keys.dto';

/** Overlap of a rotation when the body gives none: one day, in seconds. */
const DEFAULT_OVERLAP_S = 86400;

/**
 * Operator use cases of a project's credentials: API keys (issue, list, revoke, rotate with an
 * overlap) and the webhook signing secret (rotate with an overlap). Every change is audited in its
 * own transaction; revocations and expiry changes are announced to every api process after commit.
 */
@Injectable()
export class ApiKeysUseCases {
  constructor(
    @Inject(DATA_SOURCE) private readonly ds: DataSource,
    private readonly keys: ApiKeysRepository,
    private readonly audit: AuditLogRepository,
    private readonly revocations: KeyRevocations,
  ) {}

  /** @throws DomainError not_found (project), validation_failed naming `expires_at` when it is not in the future */
  async create(ctx: AuditContext, projectId: string, dto: CreateApiKeyDto): Promise<CreatedApiKeyDto> {
    const expiresAt = dto.expires_at ? new Date(dto.expires_at) : null;
    if (expiresAt && expiresAt.getTime() <= Date.now()) throw DomainError.invalid('expires_at', 'must be in the future');
    return this.ds.transaction(async (tx) => {
      if (!(await projectExists(tx, projectId))) throw DomainError.notFound('project');
      const issued = await this.keys.issue(tx, projectId, { name: dto.name, scopes: dto.scopes, expiresAt });
      await this.audit.record(
        ctx,
        {
          action: 'api_key.created',
          projectId,
          target: issued.row.id,
          detail: { name: dto.name ?? null, scopes: dto.scopes ?? null, expires_at: dto.expires_at ?? null },
        },
        tx,
      );
      return { ...toApiKeyDto(issued.row), api_key: issued.key };
    });
  }

  /** @throws DomainError not_found (project), validation_failed naming `cursor` */
  async list(projectId: string, limit: number, cursor: string | undefined): Promise<ApiKeyPageDto> {
    if (!(await projectExists(this.ds.manager, projectId))) throw DomainError.notFound('project');
    const page = await this.keys.page(projectId, limit, cursor);
    return { data: page.rows.map((r) => toApiKeyDto(r)), next_cursor: page.next };
  }

  /** Revokes a key, refused from then on by every api process. Idempotent. @throws DomainError not_found (key of this project) */
  async revoke(ctx: AuditContext, projectId: string, keyId: string): Promise<ApiKeyDto> {
    const row = await this.ds.transaction(async (tx) => {
      const key = await this.keys.lockOne(tx, projectId, keyId);
      if (!key) throw DomainError.notFound('API key');
      const revoked = await this.keys.revoke(tx, key);
      if (!key.revokedAt) await this.audit.record(ctx, { action: 'api_key.revoked', projectId, target: keyId }, tx);
      return revoked;
    });
    await this.revocations.announce(row.prefix);
    return toApiKeyDto(row);
  }

  /**
   * Issues a successor with the key's name and scopes; the old key keeps working `overlap_s`
   * seconds more, then expires. @throws DomainError not_found, conflict when the key is revoked or expired
   */
  async rotate(ctx: AuditContext, projectId: string, keyId: string, overlapS = DEFAULT_OVERLAP_S): Promise<RotatedApiKeyDto> {
    const result = await this.ds.transaction(async (tx) => {
      const old = await this.keys.lockOne(tx, projectId, keyId);
      if (!old) throw DomainError.notFound('API key');
      const status = statusOf(old);
      if (status !== 'active')
        throw new DomainError(ErrorCode.Conflict, `the API key is ${status}`, [{ field: 'keyId', message: `is ${status}` }]);
      const issued = await this.keys.issue(tx, projectId, { name: old.name, scopes: old.scopes, expiresAt: old.expiresAt });
      const previous = await this.keys.expireBy(tx, old, new Date(Date.now() + overlapS * 1000));
      await this.audit.record(
        ctx,
        {
          action: 'api_key.rotated',
          projectId,
          target: keyId,
          detail: { new_key_id: issued.row.id, previous_expires_at: previous.expiresAt?.toISOString() },
        },
        tx,
      );
      return { key: { ...toApiKeyDto(issued.row), api_key: issued.key }, previous };
    });
    await this.revocations.announce(result.previous.prefix);
    return { key: result.key, previous: toApiKeyDto(result.previous) };
  }

  /** New webhook secret; callbacks carry both signatures for `overlap_s` seconds. @throws DomainError not_found (project) */
  async rotateWebhookSecret(ctx: AuditContext, projectId: string, overlapS = DEFAULT_OVERLAP_S): Promise<RotatedWebhookSecretDto> {
    const until = new Date(Date.now() + overlapS * 1000);
    return this.ds.transaction(async (tx) => {
      const secret = await this.keys.rotateWebhookSecret(tx, projectId, until);
      if (!secret) throw DomainError.notFound('project');
      await this.audit.record(
        ctx,
        { action: 'webhook_secret.rotated', projectId, detail: { previous_expires_at: until.toISOString() } },
        tx,
      );
      return { webhook_secret: secret, previous_expires_at: until.toISOString() };
    });
  }
}

function statusOf(k: ApiKeyEntity, now = Date.now()): ApiKeyDto['status'] {
  if (k.revokedAt) return 'revoked';
  return k.expiresAt && k.expiresAt.getTime() <= now ? 'expired' : 'active';
}

/** The listed form of a key row (never its hash). */
function toApiKeyDto(k: ApiKeyEntity): ApiKeyDto {
  return {
    id: k.id,
    prefix: k.prefix,
    name: k.name,
    scopes: k.scopes,
    status: statusOf(k),
    created_at: k.createdAt.toISOString(),
    expires_at: k.expiresAt?.toISOString() ?? null,
    revoked_at: k.revokedAt?.toISOString() ?? null,
  };
}
