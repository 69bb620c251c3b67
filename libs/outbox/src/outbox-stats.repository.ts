import { EntityManager } from 'typeorm';

/** The relay's backlog: unpublished outbox rows and the age of the oldest one (s; 0 when none). */
export interface OutboxBacklog {
  unpublished: number;
  oldestAgeSeconds: number;
}

/**
 * Reads the outbox backlog (rows with `published_at IS NULL`, served by the partial index
 * `outbox_unpublished_idx`). `db` is the data source's manager.
 */
export class OutboxStatsRepository {
  constructor(private readonly db: EntityManager) {}

  /** The backlog now, ages by the database clock. */
  async backlog(): Promise<OutboxBacklog> {
    const [row]: Array<{ unpublished: string; oldest_age: string | null }> = await this.db.query(
      `SELECT count(*) AS unpublished, EXTRACT(EPOCH FROM clock_timestamp() - min(created_at)) AS oldest_age
         FROM outbox WHERE published_at IS NULL`,
    );
    return { unpublished: Number(row.unpublished), oldestAgeSeconds: row.oldest_age === null ? 0 : Math.max(0, Number(row.oldest_age)) };
  }
}
