import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DATA_SOURCE, projectExists, SenderIdEntity } from '@gw/database';
import { DomainError } from '@gw/errors';
import { AuditContext, AuditLogRepository } from '../audit/audit-log.repository';
import type { SenderIdDto } from './dto/sender-id.dto';
import { SenderIdsRepository } from './sender-ids.repository';
import { SenderPolicy } from './sender-policy';

function toSenderIdDto(g: SenderIdEntity): SenderIdDto {
  return { id: g.id, project_id: g.projectId, sender_id: g.senderId, created_at: g.createdAt.toISOString() };
}

/**
 * The operator's grants of alphanumeric sender ids. A sender id may be granted to several projects:
 * brand names are not unique across carriers and countries, and one organisation often runs several
 * projects under one brand; the operator, who checks the right to a brand before granting it, is
 * the one who decides. Grants and revocations are audited in their own transaction.
 */
@Injectable()
export class SenderIdsUseCases {
  constructor(
    @Inject(DATA_SOURCE) private readonly ds: DataSource,
    private readonly senderIds: SenderIdsRepository,
    private readonly audit: AuditLogRepository,
    private readonly senders: SenderPolicy,
  ) {}

  /** @throws DomainError not_found (project) */
  async list(projectId: string): Promise<SenderIdDto[]> {
    if (!(await projectExists(this.ds.manager, projectId))) throw DomainError.notFound('project');
    return (await this.senderIds.list(projectId)).map(toSenderIdDto);
  }

  /**
   * Grants `senderId` to the project (idempotent: a grant it holds is returned as is, without a
   * second audit record); audits `sender_id.granted`. @throws DomainError not_found (project)
   */
  async grant(ctx: AuditContext, projectId: string, senderId: string): Promise<SenderIdDto> {
    return this.ds.transaction(async (tx) => {
      if (!(await projectExists(tx, projectId))) throw DomainError.notFound('project');
      const { row, created } = await this.senderIds.grant(tx, projectId, senderId);
      if (created)
        await this.audit.record(ctx, { action: 'sender_id.granted', projectId, target: row.id, detail: { sender_id: senderId } }, tx);
      return toSenderIdDto(row);
    });
  }

  /**
   * Revokes the grant named by `ref` (the sender id or the grant's `snd_` id) and audits
   * `sender_id.revoked`; MT SMS from it are refused from then on. @throws DomainError not_found
   */
  async revoke(ctx: AuditContext, projectId: string, ref: string): Promise<void> {
    const revoked = await this.ds.transaction(async (tx) => {
      const row = await this.senderIds.revoke(tx, projectId, ref);
      if (!row) throw DomainError.notFound('sender id');
      await this.audit.record(ctx, { action: 'sender_id.revoked', projectId, target: row.id, detail: { sender_id: row.senderId } }, tx);
      return row;
    });
    this.senders.forget(projectId, revoked.senderId);
  }
}
