import { SelectQueryBuilder, ObjectLiteral } from 'typeorm';
import { DomainError } from '@gw/errors';

/** Opaque keyset cursor over (created_at, id), newest first; `ts` is Postgres' own text of created_at. */
export function encodeCursor(ts: string, id: string): string {
  return Buffer.from(JSON.stringify([ts, id])).toString('base64url');
}

/** @throws DomainError validation_failed naming `cursor` when it is not one this API issued. */
export function decodeCursor(cursor: string): [string, string] {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string' && !Number.isNaN(Date.parse(v[0]))) {
      return [v[0], v[1]];
    }
  } catch {
    // reported below
  }
  throw DomainError.invalid('cursor', 'is not a cursor this API issued');
}

/**
 * Runs a newest-first keyset page of `qb` (alias `alias`, columns created_at and id): applies the
 * cursor, fetches `limit + 1` rows and returns the page with the next cursor (null on the last page).
 */
export async function keysetPage<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  alias: string,
  limit: number,
  cursor: string | undefined,
): Promise<{ rows: T[]; next: string | null }> {
  qb.addSelect(`${alias}.created_at::text`, 'cursor_ts');
  if (cursor) {
    const [ts, id] = decodeCursor(cursor);
    qb.andWhere(`(${alias}.created_at, ${alias}.id) < (:cursorTs::timestamptz, :cursorId)`, { cursorTs: ts, cursorId: id });
  }
  qb.orderBy(`${alias}.created_at`, 'DESC')
    .addOrderBy(`${alias}.id`, 'DESC')
    .limit(limit + 1);
  const { entities, raw } = await qb.getRawAndEntities<{ cursor_ts: string }>();
  const rows = entities.slice(0, limit);
  const last = rows.length === limit && entities.length > limit ? rows.length - 1 : -1;
  return { rows, next: last >= 0 ? encodeCursor(raw[last].cursor_ts, (rows[last] as unknown as { id: string }).id) : null };
}
