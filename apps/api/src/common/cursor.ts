import { SelectQueryBuilder, ObjectLiteral } from 'typeorm';
import { keysetPage as keysetRows, type PagePosition } from '@gw/database';
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

/** Where the page a cursor continues starts (see encodeCursor). @throws DomainError validation_failed naming `cursor` */
export function positionOf(cursor: string | undefined): PagePosition | undefined {
  if (cursor === undefined) return undefined;
  const [createdAt, id] = decodeCursor(cursor);
  return { createdAt, id };
}

/** The API cursor of the next page; null on the last page. */
export function cursorOf(next: PagePosition | null): string | null {
  return next ? encodeCursor(next.createdAt, next.id) : null;
}

/**
 * Runs a newest-first keyset page of `qb` (alias `alias`, columns created_at and id) from an API
 * cursor (@gw/database keysetPage): the page and the next cursor (null on the last page).
 * @throws DomainError validation_failed naming `cursor`
 */
export async function keysetPage<T extends ObjectLiteral & { id: string }>(
  qb: SelectQueryBuilder<T>,
  alias: string,
  limit: number,
  cursor: string | undefined,
): Promise<{ rows: T[]; next: string | null }> {
  const page = await keysetRows(qb, alias, { limit, after: positionOf(cursor) });
  return { rows: page.rows, next: cursorOf(page.next) };
}
