import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ApiKeyEntity, DATA_SOURCE, newId } from '@gw/database';
import { generateApiKey, generateWebhookSecret } from '@gw/security';
import { keysetPage } from '../common/cursor';

/** What a new key grants. */
export interface NewKey {
  name?: string | null;
  /** null or absent: every scope. */
  scopes?: string[] | null;
  expiresAt?: Date | null;
}

/** A key as issued: `key` is shown once and never stored. */
export interface IssuedKey {
  row: ApiKeyEntity;
  key: string;
}

/** A project's API keys (`api_keys`: prefix, SHA-256 hash, name, scopes, expiry, revocation) and its webhook secrets. */
@Injectable()
export class ApiKeysRepository {
  constructor(@Inject(DATA_SOURCE) private readonly ds: DataSource) {}

  /** The key with this lookup prefix, revoked or not; null when none. */
  byPrefix(prefix: string): Promise<ApiKeyEntity | null> {
    return this.ds.getRepository(ApiKeyEntity).findOneBy({ prefix });
  }

  /** Issues a key for the project. */
  async issue(tx: EntityManager, projectId: string, spec: NewKey): Promise<IssuedKey> {
    const generated = generateApiKey();
    const row = tx.create(ApiKeyEntity, {
      id: newId('key'),
      projectId,
      prefix: generated.prefix,
      keyHash: generated.hash,
      revokedAt: null,
      name: spec.name ?? null,
      scopes: spec.scopes ?? null,
      expiresAt: spec.expiresAt ?? null,
    });
    await tx.insert(ApiKeyEntity, row);
    return { row: await tx.findOneByOrFail(ApiKeyEntity, { id: row.id }), key: generated.key };
  }

  /** A newest-first page of the project's keys. @throws DomainError validation_failed naming `cursor` */
  async page(projectId: string, limit: number, cursor: string | undefined): Promise<{ rows: ApiKeyEntity[]; next: string | null }> {
    const qb = this.ds.getRepository(ApiKeyEntity).createQueryBuilder('k').where('k.project_id = :projectId', { projectId });
    return keysetPage(qb, 'k', limit, cursor);
  }

  /** The project's key, row-locked for an update in `tx`; null when the project has no such key. */
  lockOne(tx: EntityManager, projectId: string, keyId: string): Promise<ApiKeyEntity | null> {
    return tx.getRepository(ApiKeyEntity).findOne({ where: { id: keyId, projectId }, lock: { mode: 'pessimistic_write' } });
  }

  /** Revokes a key now (a revoked key stays revoked: the first revocation time is kept). */
  async revoke(tx: EntityManager, key: ApiKeyEntity): Promise<ApiKeyEntity> {
    await tx.query(`UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1`, [key.id]);
    return tx.findOneByOrFail(ApiKeyEntity, { id: key.id });
  }

  /** Makes a key expire at `at` unless it already expires earlier. */
  async expireBy(tx: EntityManager, key: ApiKeyEntity, at: Date): Promise<ApiKeyEntity> {
    await tx.query(`UPDATE api_keys SET expires_at = least(coalesce(expires_at, $2), $2) WHERE id = $1`, [key.id, at]);
    return tx.findOneByOrFail(ApiKeyEntity, { id: key.id });
  }

  /**
   * Replaces the project's webhook secret: the current one becomes the previous one, still used to
   * sign until `previousUntil`. @returns the new secret, or null when there is no such project.
   */
  async rotateWebhookSecret(tx: EntityManager, projectId: string, previousUntil: Date): Promise<string | null> {
    const secret = generateWebhookSecret();
    const rows: unknown[] = await tx.query(
      `UPDATE projects SET webhook_secret_previous = webhook_secret, webhook_secret_previous_expires_at = $3, webhook_secret = $2
        WHERE id = $1 RETURNING id`,
      [projectId, secret, previousUntil],
    );
    return rows.length ? secret : null;
  }
}
