import { Inject, Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { DATA_SOURCE } from '@gw/database';
import { acceptStatement, AcceptedMessage } from './accept-statement';

/** Most messages written by one statement (15 array parameters, so no bind-parameter limit applies). */
const MAX_GROUP = 200;

/** Prepared-statement name of acceptStatement's SQL, which is the same text for every batch. */
const ACCEPT_STATEMENT = 'gw_accept_messages';

/**
 * Group commit for MT messages accepted without an Idempotency-Key: requests that arrive in the
 * same turn of the event loop are written by one `acceptStatement` (one round trip, one commit),
 * and each caller's promise settles only once that commit is done, so a 201 still means the
 * message and its outbox event are durable. Under load this turns N commits into one, which is
 * where Postgres spends most of its time per request. The statement is prepared (named), so each
 * pooled connection parses and plans it once rather than per batch; behind a pooler in
 * transaction mode, that pooler must track prepared statements (PgBouncer >= 1.21
 * `max_prepared_statements`).
 *
 * A batch fails as a whole. When Postgres rejected the data (SQLSTATE class 22 or 23), each
 * message of a multi-message batch is retried on its own so one bad row never fails its
 * neighbours; on any other error (connection lost, timeout) every caller gets the error, since
 * whether the commit happened is unknown and a blind retry could double-write.
 */
@Injectable()
export class MessageWriter {
  private readonly loader = new DataLoader<AcceptedMessage, void>((batch) => this.writeBatch(batch), {
    cache: false,
    maxBatchSize: MAX_GROUP,
    // After the I/O phase rather than on the next tick: every request parsed in this turn joins.
    batchScheduleFn: (flush) => setImmediate(flush),
  });

  constructor(@Inject(DATA_SOURCE) private readonly ds: DataSource) {}

  /** Resolves once `item` is committed; rejects with the driver's error when it is not. */
  write(item: AcceptedMessage): Promise<void> {
    return this.loader.load(item);
  }

  private async run(batch: readonly AcceptedMessage[]): Promise<void> {
    const [text, values] = acceptStatement(batch);
    // TypeORM's query() cannot name a statement; its pool is node-postgres's, which can.
    const pool = (this.ds.driver as PostgresDriver).master as Pool;
    await pool.query({ name: ACCEPT_STATEMENT, text, values });
  }

  private async writeBatch(batch: readonly AcceptedMessage[]): Promise<Array<void | Error>> {
    try {
      await this.run(batch);
      return batch.map(() => undefined);
    } catch (err) {
      if (batch.length === 1 || !isDataError(err)) return batch.map(() => asError(err));
      return Promise.all(
        batch.map((item) =>
          this.run([item]).then(
            () => undefined,
            (e: unknown) => asError(e),
          ),
        ),
      );
    }
  }
}

function isDataError(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && (code.startsWith('22') || code.startsWith('23'));
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
