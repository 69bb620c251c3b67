import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';

/**
 * Where a newest-first keyset page ends: `createdAt` is PostgreSQL's own text of the row's
 * created_at (microseconds kept, unlike a JS Date), `id` breaks ties.
 */
export interface PagePosition {
  createdAt: string;
  id: string;
}

/** A page request: at most `limit` rows after `after` (none: from the newest). */
export interface PageRequest {
  limit: number;
  after?: PagePosition;
}

/** A page of rows and where the next one starts (null on the last page). */
export interface Page<T> {
  rows: T[];
  next: PagePosition | null;
}

/** Runs `qb` (alias `alias`, columns created_at and id) as a newest-first keyset page: `limit + 1` rows fetched to know whether more follow. */
export async function keysetPage<T extends ObjectLiteral & { id: string }>(
  qb: SelectQueryBuilder<T>,
  alias: string,
  req: PageRequest,
): Promise<Page<T>> {
  qb.addSelect(`${alias}.created_at::text`, 'position_ts');
  if (req.after) {
    qb.andWhere(`(${alias}.created_at, ${alias}.id) < (:afterTs::timestamptz, :afterId)`, {
      afterTs: req.after.createdAt,
      afterId: req.after.id,
    });
  }
  qb.orderBy(`${alias}.created_at`, 'DESC')
    .addOrderBy(`${alias}.id`, 'DESC')
    .limit(req.limit + 1);
  const { entities, raw } = await qb.getRawAndEntities<{ position_ts: string }>();
  const rows = entities.slice(0, req.limit);
  const more = entities.length > req.limit && rows.length > 0;
  return { rows, next: more ? { createdAt: raw[rows.length - 1].position_ts, id: rows[rows.length - 1].id } : null };
}
