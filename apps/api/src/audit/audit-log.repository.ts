import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditLogEntity, DATA_SOURCE, newId } from '@gw/database';
import { keysetPage } from '../common/cursor';

/** Who acted and from where (see the Actor decorator). */
export interface AuditContext {
  /** `operator`, `key:<prefix>` or `jwt:<sub>`: never a secret. */
  actor: string;
  ip: string | null;
  userAgent: string | null;
}

/** What was done. */
export interface AuditEntry {
  /** Dotted verb, e.g. `api_key.revoked`. */
  action: string;
  projectId?: string | null;
  /** Id of what was acted on (key id, number id, E.164 ...). */
  target?: string | null;
  /** Anything else worth keeping; never secrets nor message bodies. */
  detail?: Record<string, unknown>;
}

/** One row of `GET /admin/audit-log`. */
export interface AuditRecord {
  id: string;
  at: string;
  actor: string;
  project_id: string | null;
  action: string;
  target: string | null;
  detail: Record<string, unknown>;
  ip: string | null;
  user_agent: string | null;
}

/** Filters of `GET /admin/audit-log`. */
export interface AuditQuery {
  project_id?: string;
  action?: string;
  limit?: number;
  cursor?: string;
}

/** The admin audit log (`admin_audit_log`): insert-only, listed newest first. */
@Injectable()
export class AuditLogRepository {
  constructor(@Inject(DATA_SOURCE) private readonly ds: DataSource) {}

  /** Records an action; pass the transaction of the change it describes so both land or neither. */
  async record(ctx: AuditContext, entry: AuditEntry, tx: EntityManager = this.ds.manager): Promise<void> {
    await tx.query(
      `INSERT INTO admin_audit_log (id, actor, project_id, action, target, detail, ip, user_agent) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        newId('aud'),
        ctx.actor,
        entry.projectId ?? null,
        entry.action,
        entry.target ?? null,
        JSON.stringify(entry.detail ?? {}),
        ctx.ip,
        ctx.userAgent,
      ],
    );
  }

  /** A newest-first page. @throws DomainError validation_failed naming `cursor` for a foreign cursor */
  async list(q: AuditQuery): Promise<{ data: AuditRecord[]; next_cursor: string | null }> {
    const qb = this.ds.getRepository(AuditLogEntity).createQueryBuilder('a').where('true');
    if (q.project_id) qb.andWhere('a.project_id = :projectId', { projectId: q.project_id });
    if (q.action) qb.andWhere('a.action = :action', { action: q.action });
    const page = await keysetPage(qb, 'a', q.limit ?? 20, q.cursor);
    return {
      data: page.rows.map((r) => ({
        id: r.id,
        at: r.createdAt.toISOString(),
        actor: r.actor,
        project_id: r.projectId,
        action: r.action,
        target: r.target,
        detail: r.detail,
        ip: r.ip,
        user_agent: r.userAgent,
      })),
      next_cursor: page.next,
    };
  }
}
