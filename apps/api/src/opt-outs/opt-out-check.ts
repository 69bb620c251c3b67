import { Inject, Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import type { Pool } from 'pg';
import { DataSource, EntityManager } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { DATA_SOURCE } from '@gw/database';
import { DomainError, ErrorCode } from '@gw/errors';
import { markedPositions, MtRecipient, OptOutsRepository } from './opt-outs.repository';

/** Most recipients checked by one statement. */
const MAX_GROUP = 200;

/** Prepared-statement name of the opt-out check, whose SQL text is the same for every batch. */
const CHECK_STATEMENT = 'gw_opt_out_check';

/**
 * The opt-out check of `POST /v1/messages`: refuses an MT whose recipient opted out of its sender
 * or of the whole project. Checks of requests that arrive in the same event-loop turn share one
 * prepared statement (one round trip, one index probe per recipient), as MessageWriter shares its
 * INSERT. Never cached: a STOP applies to the very next MT. Only the api's MT path asks it, so
 * system replies (a STOP confirmation to the handset that just opted out) are never refused.
 */
@Injectable()
export class OptOutCheck {
  private readonly loader = new DataLoader<MtRecipient, boolean>((batch) => this.lookup(batch), {
    cache: false,
    maxBatchSize: MAX_GROUP,
    batchScheduleFn: (flush) => setImmediate(flush),
  });

  constructor(
    @Inject(DATA_SOURCE) private readonly ds: DataSource,
    private readonly repo: OptOutsRepository,
  ) {}

  /**
   * Resolves when `mt` may be sent; inside a transaction (`tx`), asks on it rather than in a batch.
   * @throws DomainError recipient_opted_out (422) naming `to`
   */
  async assertNotOptedOut(mt: MtRecipient, tx?: EntityManager): Promise<void> {
    const blocked = tx ? (await this.repo.blocked(tx, [mt]))[0] : await this.loader.load(mt);
    if (blocked) {
      throw new DomainError(ErrorCode.RecipientOptedOut, `to: ${mt.to} has opted out of messages from ${mt.from} or from this project`, [
        {
          field: 'to',
          message: 'has opted out (STOP) of this sender or project; nothing is sent until it replies START or the opt-out is deleted',
        },
      ]);
    }
  }

  private async lookup(batch: readonly MtRecipient[]): Promise<boolean[]> {
    const [text, values] = this.repo.blockedStatement(batch);
    // TypeORM's query() cannot name a statement; its pool is node-postgres's, which can.
    const pool = (this.ds.driver as PostgresDriver).master as Pool;
    const { rows } = await pool.query<{ ord: number }>({ name: CHECK_STATEMENT, text, values });
    return markedPositions(batch.length, rows);
  }
}
