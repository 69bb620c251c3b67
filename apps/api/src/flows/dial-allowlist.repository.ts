import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { DATA_SOURCE, type DialAllowlist, ProjectEntity } from '@gw/database';

/** The dial allowlists the operator set on projects (`projects.dial_allowlist`, jsonb; null: the default). */
@Injectable()
export class DialAllowlistRepository {
  constructor(@Inject(DATA_SOURCE) private readonly ds: DataSource) {}

  /**
   * The project's allowlist (`dialAllowlist` null when none is set), or null when there is no such
   * project. With `lock`, the project row stays locked until `tx` ends (for a read-modify-write).
   */
  async find(
    projectId: string,
    tx: EntityManager = this.ds.manager,
    lock = false,
  ): Promise<{ dialAllowlist: DialAllowlist | null } | null> {
    const rows: Array<{ dial_allowlist: DialAllowlist | null }> = await tx.query(
      `SELECT dial_allowlist FROM projects WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
      [projectId],
    );
    return rows.length ? { dialAllowlist: rows[0].dial_allowlist } : null;
  }

  /** Replaces the project's allowlist. */
  async replace(tx: EntityManager, projectId: string, allowlist: DialAllowlist): Promise<void> {
    await tx.getRepository(ProjectEntity).update({ id: projectId }, { dialAllowlist: allowlist });
  }
}
