import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DATA_SOURCE, type DialAllowlist } from '@gw/database';
import { DomainError } from '@gw/errors';
import { AuditContext, AuditLogRepository } from '../audit/audit-log.repository';
import { DialAllowlistRepository } from '../flows/dial-allowlist.repository';
import type { DialAllowlistDto, SetDialAllowlistDto } from './dto/dial-allowlist.dto';

/**
 * The operator's view of a project's dial allowlist (which `dial` targets its flows may call:
 * @gw/calls dialTargetRefusal). New flows are checked against it when accepted; the orchestrator
 * checks every dial against the allowlist of the moment, so a change also applies to flows accepted before.
 */
@Injectable()
export class DialAllowlistUseCases {
  constructor(
    @Inject(DATA_SOURCE) private readonly ds: DataSource,
    private readonly allowlists: DialAllowlistRepository,
    private readonly audit: AuditLogRepository,
  ) {}

  /** @throws DomainError not_found (project) */
  async get(projectId: string): Promise<DialAllowlistDto> {
    const row = await this.allowlists.find(projectId);
    if (!row) throw DomainError.notFound('project');
    return toDto(projectId, row.dialAllowlist);
  }

  /**
   * Replaces the project's allowlist (SIP domains lower-cased, duplicates dropped) and audits
   * `dial_allowlist.set` with the lists before and after, in one transaction.
   * @throws DomainError not_found (project)
   */
  async set(ctx: AuditContext, projectId: string, dto: SetDialAllowlistDto): Promise<DialAllowlistDto> {
    const allowlist: DialAllowlist = {
      e164_prefixes: unique(dto.e164_prefixes ?? []),
      sip_domains: unique((dto.sip_domains ?? []).map((d) => d.toLowerCase())),
      pjsip_endpoints: unique(dto.pjsip_endpoints ?? []),
    };
    return this.ds.transaction(async (tx) => {
      const before = await this.allowlists.find(projectId, tx, true);
      if (!before) throw DomainError.notFound('project');
      await this.allowlists.replace(tx, projectId, allowlist);
      await this.audit.record(
        ctx,
        { action: 'dial_allowlist.set', projectId, target: projectId, detail: { before: before.dialAllowlist, after: allowlist } },
        tx,
      );
      return toDto(projectId, allowlist);
    });
  }
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

function toDto(projectId: string, allowlist: DialAllowlist | null): DialAllowlistDto {
  if (!allowlist) return { project_id: projectId, set: false, e164_prefixes: null, sip_domains: [], pjsip_endpoints: [] };
  return { project_id: projectId, set: true, ...allowlist };
}
