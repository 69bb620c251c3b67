import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { DATA_SOURCE, newId, OptOutEntity } from '@gw/database';
import { keysetPage } from '../common/cursor';

/** An MT's addressing as the opt-out check sees it: project, handset (`to`, E.164) and sender (`from`). */
export interface MtRecipient {
  projectId: string;
  to: string;
  from: string;
}

/** Filters of `GET /v1/opt-outs`. */
export interface OptOutFilter {
  phone?: string;
  sender?: string;
  limit?: number;
  cursor?: string;
}

/**
 * Whether each recipient is opted out, for a batch of any size with the same SQL text (arrays
 * expanded by `unnest`): per row one probe of the unique index (project_id, phone, sender), which
 * finds the sender's own opt-out and the project-wide one (sender NULL) in one range.
 */
const BLOCKED_SQL = `SELECT r.ord::int AS ord
  FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS r(project_id, phone, sender, ord)
 WHERE EXISTS (SELECT 1 FROM opt_outs o
                WHERE o.project_id = r.project_id AND o.phone = r.phone AND (o.sender = r.sender OR o.sender IS NULL))`;

/** The `opt_outs` table as the api reads and writes it. */
@Injectable()
export class OptOutsRepository {
  constructor(@Inject(DATA_SOURCE) private readonly ds: DataSource) {}

  /** The SQL text and parameters of the opt-out check for `batch` (see BLOCKED_SQL), for callers that prepare it. */
  blockedStatement(batch: readonly MtRecipient[]): [string, unknown[]] {
    return [BLOCKED_SQL, [batch.map((r) => r.projectId), batch.map((r) => r.to), batch.map((r) => r.from)]];
  }

  /** For each recipient of `batch`, in order, whether an opt-out keeps its MT from being sent; `db` may be a transaction. */
  async blocked(db: EntityManager, batch: readonly MtRecipient[]): Promise<boolean[]> {
    const rows: Array<{ ord: number }> = await db.query(...this.blockedStatement(batch));
    return markedPositions(batch.length, rows);
  }

  /** A newest-first page of the project's opt-outs. @throws DomainError validation_failed naming `cursor` */
  async list(projectId: string, f: OptOutFilter): Promise<{ rows: OptOutEntity[]; next: string | null }> {
    const qb = this.ds.getRepository(OptOutEntity).createQueryBuilder('o').where('o.project_id = :projectId', { projectId });
    if (f.phone) qb.andWhere('o.phone = :phone', { phone: f.phone });
    if (f.sender) qb.andWhere('o.sender = :sender', { sender: f.sender });
    return keysetPage(qb, 'o', f.limit ?? 20, f.cursor);
  }

  /**
   * Adds an opt-out made through the api, unless the same (project, phone, sender) exists.
   * Returns the row and whether it is new (false: the existing row, unchanged).
   * @throws Error when the conflicting row was deleted under it MAX_ADD_RACES + 1 times in a row.
   */
  async add(
    tx: EntityManager,
    o: { projectId: string; phone: string; sender: string | null },
  ): Promise<{ row: OptOutEntity; created: boolean }> {
    // The conflicting row can be deleted (START, DELETE) between the INSERT and the SELECT: then insert again.
    for (let attempt = 0; ; attempt++) {
      const inserted: OptOutEntity[] = await tx.query(
        `INSERT INTO opt_outs (id, project_id, phone, sender, source) VALUES ($1, $2, $3, $4, 'api')
         ON CONFLICT (project_id, phone, sender) DO NOTHING RETURNING ${COLUMNS}`,
        [newId('opt'), o.projectId, o.phone, o.sender],
      );
      if (inserted[0]) return { row: inserted[0], created: true };
      const existing: OptOutEntity[] = await tx.query(
        `SELECT ${COLUMNS} FROM opt_outs WHERE project_id = $1 AND phone = $2 AND sender IS NOT DISTINCT FROM $3`,
        [o.projectId, o.phone, o.sender],
      );
      if (existing[0]) return { row: existing[0], created: false };
      if (attempt === MAX_ADD_RACES) throw new Error(`opt-out of ${o.projectId} kept vanishing while it was added`);
    }
  }

  /** Deletes the project's opt-out `id`; the deleted row, or null when the project has none such. */
  async remove(tx: EntityManager, projectId: string, id: string): Promise<OptOutEntity | null> {
    // Wrapped in a CTE: TypeORM answers a bare DELETE with [rows, count] rather than the rows.
    const rows: OptOutEntity[] = await tx.query(
      `WITH d AS (DELETE FROM opt_outs WHERE id = $1 AND project_id = $2 RETURNING *) SELECT ${COLUMNS} FROM d`,
      [id, projectId],
    );
    return rows[0] ?? null;
  }
}

/** Attempts of `add` after the first when the row it conflicted with vanished before it could be read. */
const MAX_ADD_RACES = 2;

/** An opt_outs row under OptOutEntity's property names. */
const COLUMNS = `id, project_id AS "projectId", phone, sender, source, keyword, message_id AS "messageId", created_at AS "createdAt"`;

/** `n` booleans, true at the 1-based positions `ord` of `rows`. */
export function markedPositions(n: number, rows: ReadonlyArray<{ ord: number }>): boolean[] {
  const out = new Array<boolean>(n).fill(false);
  for (const { ord } of rows) out[ord - 1] = true;
  return out;
}
