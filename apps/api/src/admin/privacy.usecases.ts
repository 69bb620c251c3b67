import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DATA_SOURCE, ErasureEntity, newId, projectExists, ProjectRetentionEntity } from '@gw/database';
import { DomainError } from '@gw/errors';
import { AuditContext, AuditLogRepository } from '../audit/audit-log.repository';
import type { CreateErasureDto, ErasureDto } from './dto/erasure.dto';
import type { RetentionDto, RetentionSettingsDto } from './dto/retention.dto';
import { PrivacyRepository } from './privacy.repository';

/**
 * What an erasure keeps of the number once completed: hex SHA-256 of `<project id>:<phone>`
 * (phone in E.164). Anyone holding the number can recompute it, which is what it is for (showing
 * that this number was erased); it is a pseudonym, not an anonymisation (the E.164 space is small).
 */
export function phoneSha256(projectId: string, phone: string): string {
  return createHash('sha256').update(`${projectId}:${phone}`).digest('hex');
}

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

/**
 * Operator use cases of personal data: a project's retention periods (applied by the workers'
 * retention sweep) and subscriber erasures (accepted here in one transaction with their audit
 * record, run by the workers in batches). Every change is audited in its own transaction.
 */
@Injectable()
export class PrivacyUseCases {
  constructor(
    @Inject(DATA_SOURCE) private readonly ds: DataSource,
    private readonly repo: PrivacyRepository,
    private readonly audit: AuditLogRepository,
  ) {}

  /** @throws DomainError not_found (project) */
  async retention(projectId: string): Promise<RetentionSettingsDto> {
    if (!(await projectExists(this.ds.manager, projectId))) throw DomainError.notFound('project');
    return toRetentionDto(projectId, await this.repo.retention(projectId));
  }

  /** Replaces the project's periods (absent or null: kept forever). @throws DomainError not_found (project) */
  async setRetention(ctx: AuditContext, projectId: string, dto: RetentionDto): Promise<RetentionSettingsDto> {
    return this.ds.transaction(async (tx) => {
      if (!(await projectExists(tx, projectId))) throw DomainError.notFound('project');
      const before = toRetentionDto(projectId, await this.repo.retention(projectId, tx));
      const row = await this.repo.setRetention(tx, projectId, {
        messageBodyDays: dto.message_body_days ?? null,
        callTimelineDays: dto.call_timeline_days ?? null,
        recordingDays: dto.recording_days ?? null,
      });
      const after = toRetentionDto(projectId, row);
      await this.audit.record(
        ctx,
        {
          action: 'retention.set',
          projectId,
          target: projectId,
          detail: { before: periodsOf(before), after: periodsOf(after) },
        },
        tx,
      );
      return after;
    });
  }

  /**
   * Accepts an erasure of the subscriber `dto.phone` in the project: the request row and its audit
   * record (which names the erasure and the number's hash, never the number) in one transaction;
   * the workers do the erasure. @throws DomainError not_found (project), validation_failed naming
   * `phone` when it is one of the project's own numbers (erasing it would erase every message the
   * project sent from it)
   */
  async requestErasure(ctx: AuditContext, projectId: string, dto: CreateErasureDto): Promise<ErasureDto> {
    return this.ds.transaction(async (tx) => {
      if (!(await projectExists(tx, projectId))) throw DomainError.notFound('project');
      if (await this.repo.ownsNumber(tx, projectId, dto.phone))
        throw DomainError.invalid('phone', "is one of the project's own numbers, not a subscriber's");
      const id = newId('era');
      const hash = phoneSha256(projectId, dto.phone);
      const row = await this.repo.insertErasure(tx, { id, projectId, phone: dto.phone, phoneSha256: hash });
      await this.audit.record(ctx, { action: 'subscriber.erased', projectId, target: id, detail: { phone_sha256: hash } }, tx);
      return toErasureDto(row);
    });
  }

  /** @throws DomainError not_found (no such erasure in the project) */
  async erasure(projectId: string, id: string): Promise<ErasureDto> {
    const row = await this.repo.erasure(projectId, id);
    if (!row) throw DomainError.notFound('erasure');
    return toErasureDto(row);
  }
}

function toRetentionDto(projectId: string, r: ProjectRetentionEntity | null): RetentionSettingsDto {
  return {
    project_id: projectId,
    message_body_days: r?.messageBodyDays ?? null,
    call_timeline_days: r?.callTimelineDays ?? null,
    recording_days: r?.recordingDays ?? null,
    updated_at: iso(r?.updatedAt ?? null),
  };
}

function periodsOf(r: RetentionSettingsDto): Record<string, number | null> {
  return { message_body_days: r.message_body_days, call_timeline_days: r.call_timeline_days, recording_days: r.recording_days };
}

function toErasureDto(e: ErasureEntity): ErasureDto {
  return {
    id: e.id,
    project_id: e.projectId,
    status: e.status,
    phase: e.phase,
    phone_sha256: e.phoneSha256,
    counts: {
      messages_erased: e.messagesErased,
      calls_erased: e.callsErased,
      recordings_deleted: e.recordingsDeleted,
      events_scrubbed: e.eventsScrubbed,
      responses_scrubbed: e.responsesScrubbed,
      opt_outs_kept: e.optOutsKept,
    },
    last_error: e.lastError,
    requested_at: new Date(e.requestedAt).toISOString(),
    updated_at: new Date(e.updatedAt).toISOString(),
    completed_at: iso(e.completedAt),
  };
}
