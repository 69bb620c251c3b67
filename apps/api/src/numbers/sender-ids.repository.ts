import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { DATA_SOURCE, newId, SenderIdEntity } from '@gw/database';

/** A grant's own id (`snd_...`); an alphanumeric sender id cannot hold `_`, so the two never clash. */
const GRANT_ID = /^snd_[A-Za-z0-9]{1,64}$/;

/** SQL over `sender_ids`: the alphanumeric sender ids the operator granted each project. */
@Injectable()
export class SenderIdsRepository {
  constructor(@Inject(DATA_SOURCE) private readonly ds: DataSource) {}

  /**
   * Whether `senderId` is granted to `projectId` (exact match): one probe of the (project_id,
   * sender_id) unique index; in `db` when given (a transaction).
   */
  async isGranted(projectId: string, senderId: string, db: EntityManager = this.ds.manager): Promise<boolean> {
    const rows: unknown[] = await db.query(`SELECT 1 FROM sender_ids WHERE project_id = $1 AND sender_id = $2`, [projectId, senderId]);
    return rows.length > 0;
  }

  /** Every grant of the project, in sender id order. */
  list(projectId: string): Promise<SenderIdEntity[]> {
    return this.ds.getRepository(SenderIdEntity).find({ where: { projectId }, order: { senderId: 'ASC' } });
  }

  /** Grants `senderId` to the project unless it already holds it; `created` tells which. */
  async grant(tx: EntityManager, projectId: string, senderId: string): Promise<{ row: SenderIdEntity; created: boolean }> {
    const inserted: Array<{ id: string; created_at: Date }> = await tx.query(
      `INSERT INTO sender_ids (id, project_id, sender_id) VALUES ($1, $2, $3)
       ON CONFLICT (project_id, sender_id) DO NOTHING RETURNING id, created_at`,
      [newId('snd'), projectId, senderId],
    );
    if (inserted.length) return { row: { id: inserted[0].id, projectId, senderId, createdAt: inserted[0].created_at }, created: true };
    return { row: await tx.findOneByOrFail(SenderIdEntity, { projectId, senderId }), created: false };
  }

  /**
   * Revokes the project's grant named by `ref`: the grant id (`snd_...`) or the sender id itself.
   * Returns the revoked grant, or null when the project holds no such grant.
   */
  async revoke(tx: EntityManager, projectId: string, ref: string): Promise<SenderIdEntity | null> {
    const where = GRANT_ID.test(ref) ? { projectId, id: ref } : { projectId, senderId: ref };
    const row = await tx.getRepository(SenderIdEntity).findOne({ where, lock: { mode: 'pessimistic_write' } });
    if (row) await tx.delete(SenderIdEntity, { id: row.id });
    return row;
  }
}
