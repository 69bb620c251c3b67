import { createHash } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { IdempotencyKeyEntity } from '@gw/database';
import { DomainError, ErrorCode } from '@gw/errors';

/** Validates the `Idempotency-Key` header: 1 to 255 characters. @throws DomainError naming the header */
export function idempotencyKeyHeader(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (value.length < 1 || value.length > 255) throw DomainError.invalid('Idempotency-Key', 'must be 1 to 255 characters');
  return value;
}

/** How long a stored response answers replays (Stripe keeps keys 24 h). */
export const IDEMPOTENCY_TTL_MS = 24 * 3600 * 1000;

/** A response stored under an idempotency key. */
export interface StoredResponse {
  status: number;
  body: unknown;
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value as object)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/** SHA-256 over the route and the canonical (key-sorted) JSON body: what "the same request" means. */
export function requestHash(route: string, body: unknown): string {
  return createHash('sha256')
    .update(route)
    .update('\n')
    .update(JSON.stringify(canonical(body)))
    .digest('hex');
}

/**
 * Stripe's Idempotency-Key rules inside the caller's transaction `tx`:
 * a transaction-scoped advisory lock on (project, key) makes a concurrent request with the same key
 * fail fast with 409 `idempotency_key_in_use`; a stored response for the same request hash is
 * returned for replay; a different hash is 422 `idempotency_key_mismatch`. Returns null when the
 * key is new: the caller does the work and then calls `save` in the same transaction, so the
 * response and the work commit together or not at all.
 */
export async function claimIdempotencyKey(tx: EntityManager, projectId: string, key: string, hash: string): Promise<StoredResponse | null> {
  const [{ locked }] = await tx.query(`SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0)) AS locked`, [`${projectId}:${key}`]);
  if (!locked) throw new DomainError(ErrorCode.IdempotencyKeyInUse, 'a request with this Idempotency-Key is in progress');
  const existing = await tx.findOneBy(IdempotencyKeyEntity, { projectId, key });
  if (existing && existing.expiresAt.getTime() > Date.now()) {
    if (existing.requestHash !== hash) {
      throw new DomainError(ErrorCode.IdempotencyKeyMismatch, 'Idempotency-Key was already used with a different request', [
        { field: 'Idempotency-Key', message: 'reused with a different request body' },
      ]);
    }
    return { status: existing.responseStatus, body: existing.responseBody };
  }
  if (existing) await tx.delete(IdempotencyKeyEntity, { projectId, key });
  return null;
}

/** Stores the response for a key claimed with `claimIdempotencyKey`, in the same transaction. */
export async function saveIdempotentResponse(
  tx: EntityManager,
  projectId: string,
  key: string,
  hash: string,
  response: StoredResponse,
): Promise<void> {
  await tx.insert(IdempotencyKeyEntity, {
    projectId,
    key,
    requestHash: hash,
    responseStatus: response.status,
    responseBody: response.body as object,
    expiresAt: new Date(Date.now() + IDEMPOTENCY_TTL_MS),
  });
}
