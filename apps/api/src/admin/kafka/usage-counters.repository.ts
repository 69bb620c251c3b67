import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

/**
 * The usage counters the workers' usage consumer writes (apps/workers/src/usage/record-usage.ts):
 * `usage_daily` per project, UTC day and metric, and `usage_ledger`, one row per counted message
 * or call and metric, which is that consumer's deduplication.
 */
@Injectable()
export class UsageCountersRepository {
  /**
   * Deletes the daily counters and the ledger rows of UTC days from `from` (YYYY-MM-DD) on, of one
   * project or all (`projectId` null), so that replaying the events since `from` counts them anew.
   * Returns the rows deleted of each table.
   */
  async clearFrom(tx: EntityManager, from: string, projectId: string | null): Promise<{ daily: number; ledger: number }> {
    const [row] = (await tx.query(
      `WITH l AS (DELETE FROM usage_ledger WHERE day >= $1::date AND ($2::text IS NULL OR project_id = $2) RETURNING 1),
            d AS (DELETE FROM usage_daily WHERE day >= $1::date AND ($2::text IS NULL OR project_id = $2) RETURNING 1)
       SELECT (SELECT count(*) FROM l)::int AS ledger, (SELECT count(*) FROM d)::int AS daily`,
      [from, projectId],
    )) as Array<{ ledger: number; daily: number }>;
    return { daily: row!.daily, ledger: row!.ledger };
  }
}
