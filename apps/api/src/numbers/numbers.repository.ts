import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { DATA_SOURCE, FlowEntity, PhoneNumberEntity } from '@gw/database';
import { keysetPage } from '../common/cursor';

/** Routing fields of a number to change; a field left undefined keeps its value. */
export interface NumberRouting {
  voiceFlowId?: string | null;
  smsCallbackUrl?: string | null;
}

/** SQL over `phone_numbers` for the number management API and the sender check. */
@Injectable()
export class NumbersRepository {
  constructor(@Inject(DATA_SOURCE) private readonly ds: DataSource) {}

  /** Whether `projectId` owns the E.164 number `e164`: one probe of the unique index on e164; in `db` when given (a transaction). */
  async isOwned(projectId: string, e164: string, db: EntityManager = this.ds.manager): Promise<boolean> {
    const rows: unknown[] = await db.query(`SELECT 1 FROM phone_numbers WHERE e164 = $1 AND project_id = $2`, [e164, projectId]);
    return rows.length > 0;
  }

  /** A newest-first page of the project's numbers. @throws DomainError validation_failed naming `cursor` for a foreign cursor */
  page(projectId: string, limit: number, cursor: string | undefined): Promise<{ rows: PhoneNumberEntity[]; next: string | null }> {
    const qb = this.ds.getRepository(PhoneNumberEntity).createQueryBuilder('n').where('n.project_id = :projectId', { projectId });
    return keysetPage(qb, 'n', limit, cursor);
  }

  /** The project's number `id`, or null (another project's number reads as missing). */
  find(projectId: string, id: string): Promise<PhoneNumberEntity | null> {
    return this.ds.getRepository(PhoneNumberEntity).findOneBy({ id, projectId });
  }

  /** The project's number `id` locked for update in `tx` (FOR UPDATE), or null. */
  lock(tx: EntityManager, projectId: string, id: string): Promise<PhoneNumberEntity | null> {
    return tx.getRepository(PhoneNumberEntity).findOne({ where: { id, projectId }, lock: { mode: 'pessimistic_write' } });
  }

  /** Whether `flowId` is a flow of `projectId`. */
  flowOfProject(tx: EntityManager, projectId: string, flowId: string): Promise<boolean> {
    return tx.existsBy(FlowEntity, { id: flowId, projectId });
  }

  /** Writes the given routing fields of the (locked) number `row`; returns the row as now stored. */
  async updateRouting(tx: EntityManager, row: PhoneNumberEntity, routing: NumberRouting): Promise<PhoneNumberEntity> {
    const changes: Partial<PhoneNumberEntity> = {};
    if (routing.voiceFlowId !== undefined) changes.voiceFlowId = routing.voiceFlowId;
    if (routing.smsCallbackUrl !== undefined) changes.smsCallbackUrl = routing.smsCallbackUrl;
    await tx.update(PhoneNumberEntity, { id: row.id }, changes);
    return { ...row, ...changes };
  }

  /**
   * Releases the project's number `id`: its row is deleted, so the number can be assigned again and
   * neither sends from it nor inbound SMS and calls to it reach the project any more. Messages and
   * calls keep their numbers (they hold the E.164 text, not a reference). Returns the released row, or null.
   */
  async release(tx: EntityManager, projectId: string, id: string): Promise<PhoneNumberEntity | null> {
    const row = await this.lock(tx, projectId, id);
    if (row) await tx.delete(PhoneNumberEntity, { id });
    return row;
  }
}
