import type { EntityManager } from 'typeorm';
import type { LogFn } from '@gw/observability';
import { PeriodicTask, runPeriodically } from './periodic';
import type { PersonalDataSweep } from './personal-data-sweep';

/** Rows one sweep statement looks at (outbox) or deletes (processed_events) at most, so none holds its locks for long. */
export const RETENTION_BATCH = 5000;

/**
 * Deletes outbox rows published more than `hours` ago. Walks the table by id, `batch` rows at a
 * time, deleting the due ones, and stops at the first batch holding a row created after the
 * cutoff: ids grow with creation, so a sweep reads little more than what it deletes, where a
 * filter on `published_at` alone would scan the whole table (it has no index) whenever nothing is
 * due. Rows not yet published are never deleted, however old; the walk steps over them. Returns
 * how many rows were deleted.
 */
export async function pruneOutbox(db: EntityManager, hours: number, batch = RETENTION_BATCH): Promise<number> {
  let total = 0;
  let after = '0';
  for (;;) {
    const [step] = (await db.query(
      `WITH head AS (SELECT id, published_at, created_at FROM outbox WHERE id > $3 ORDER BY id LIMIT $2),
            doomed AS (DELETE FROM outbox o USING head WHERE o.id = head.id AND head.published_at < now() - make_interval(hours => $1)
                       RETURNING o.id)
       SELECT (SELECT count(*) FROM doomed)::int AS deleted, count(*)::int AS seen, max(id)::text AS last,
              coalesce(bool_or(created_at >= now() - make_interval(hours => $1)), false) AS reached_cutoff
         FROM head`,
      [hours, batch, after],
    )) as Array<{ deleted: number; seen: number; last: string | null; reached_cutoff: boolean }>;
    total += step.deleted;
    if (step.seen < batch || step.reached_cutoff || step.last === null) return total;
    after = step.last;
  }
}

/**
 * Deletes, in batches of `batch`, consumer dedupe records (processed_events) older than `hours`.
 * Once deleted, a redelivery of that event would be handled again, so `hours` must exceed the
 * Kafka topics' retention (a consumer group reset to the earliest offset re-reads that far back).
 * Returns how many rows were deleted.
 */
export async function pruneProcessedEvents(db: EntityManager, hours: number, batch = RETENTION_BATCH): Promise<number> {
  let total = 0;
  for (;;) {
    // node-postgres reports a DELETE as [rows, rowCount] through TypeORM's query().
    const [, deleted] = (await db.query(
      `WITH doomed AS (
         SELECT consumer, event_id FROM processed_events WHERE processed_at < now() - make_interval(hours => $1)
          LIMIT $2 FOR UPDATE SKIP LOCKED
       )
       DELETE FROM processed_events p USING doomed WHERE p.consumer = doomed.consumer AND p.event_id = doomed.event_id`,
      [hours, batch],
    )) as [unknown[], number];
    total += deleted;
    if (deleted < batch) return total;
  }
}

/** What a sweep keeps: hours of published outbox rows and of processed_events records. */
export interface RetentionPolicy {
  outboxHours: number;
  processedEventsHours: number;
}

/**
 * Runs pruneOutbox and pruneProcessedEvents, then the projects' personal-data retention when
 * `personalData` is given, once now and then every `intervalMs`, never two sweeps at once in this
 * process. A failed sweep is logged and retried at the next interval. `stop()` clears the timer,
 * ends the personal-data sweep between two batches and waits for the sweep in progress.
 */
export function startRetentionSweep(
  db: EntityManager,
  policy: RetentionPolicy,
  intervalMs: number,
  log: LogFn,
  personalData?: PersonalDataSweep,
): PeriodicTask {
  return runPeriodically(
    async (stopping) => {
      const outbox = await pruneOutbox(db, policy.outboxHours);
      const processedEvents = await pruneProcessedEvents(db, policy.processedEventsHours);
      const personal = personalData ? await personalData.run(stopping) : null;
      const done = { outbox, processed_events: processedEvents, ...personal };
      if (Object.values(done).some((n) => n > 0)) log('info', 'retention sweep', done);
    },
    intervalMs,
    (err) => log('warn', 'retention sweep failed', { reason: err instanceof Error ? err.message : String(err) }),
  );
}
