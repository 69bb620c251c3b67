import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DATA_SOURCE, PhoneNumberEntity } from '@gw/database';
import { DomainError, ErrorCode } from '@gw/errors';
import { AuditContext, AuditLogRepository } from '../audit/audit-log.repository';
import { CallbackUrlPolicy } from '../common/callback-urls';
import type { ListNumbersQueryDto, NumberDto, NumberPageDto, UpdateNumberDto } from './dto/number.dto';
import { NumbersRepository } from './numbers.repository';
import { SenderPolicy } from './sender-policy';

/** A number as `/v1/numbers` returns it. */
export function toNumberDto(n: PhoneNumberEntity): NumberDto {
  return {
    id: n.id,
    e164: n.e164,
    voice_flow_id: n.voiceFlowId,
    sms_callback_url: n.smsCallbackUrl,
    created_at: n.createdAt.toISOString(),
  };
}

/** A callback URL as the audit log keeps it: scheme, host and port only, since a path or query may carry a token. */
function auditedUrl(url: string | null): string | null {
  return url === null ? null : new URL(url).origin;
}

/**
 * The project's own numbers (`/v1/numbers`): read, change their routing (the flow answering calls,
 * the URL receiving MO SMS) and release them. Numbers are assigned by the operator
 * (`POST /admin/projects/{id}/numbers`). Each change is audited in its own transaction.
 */
@Injectable()
export class NumbersUseCases {
  constructor(
    @Inject(DATA_SOURCE) private readonly ds: DataSource,
    private readonly numbers: NumbersRepository,
    private readonly audit: AuditLogRepository,
    private readonly senders: SenderPolicy,
    private readonly callbackUrls: CallbackUrlPolicy,
  ) {}

  /** Newest first, 20 a page unless `limit` says otherwise. @throws DomainError validation_failed naming `cursor` */
  async list(projectId: string, q: ListNumbersQueryDto): Promise<NumberPageDto> {
    const page = await this.numbers.page(projectId, q.limit ?? 20, q.cursor);
    return { data: page.rows.map(toNumberDto), next_cursor: page.next };
  }

  /** @throws DomainError not_found (also for another project's number) */
  async get(projectId: string, id: string): Promise<NumberDto> {
    const row = await this.numbers.find(projectId, id);
    if (!row) throw DomainError.notFound('number');
    return toNumberDto(row);
  }

  /**
   * Changes the routing fields given in `dto` (null clears one) and audits `number.updated`; with
   * no field given (an empty merge patch) it changes and records nothing.
   * @throws DomainError validation_failed naming `sms_callback_url` on a refused address
   * (CallbackUrlPolicy); not_found for the number, or naming `voice_flow_id` for a flow that is not
   * this project's.
   */
  async update(ctx: AuditContext, projectId: string, id: string, dto: UpdateNumberDto): Promise<NumberDto> {
    if (dto.voice_flow_id === undefined && dto.sms_callback_url === undefined) return this.get(projectId, id);
    await this.callbackUrls.assertDeliverable('sms_callback_url', dto.sms_callback_url);
    return this.ds.transaction(async (tx) => {
      const row = await this.numbers.lock(tx, projectId, id);
      if (!row) throw DomainError.notFound('number');
      if (dto.voice_flow_id && !(await this.numbers.flowOfProject(tx, projectId, dto.voice_flow_id))) {
        throw new DomainError(ErrorCode.NotFound, 'flow not found', [{ field: 'voice_flow_id', message: 'no such flow in this project' }]);
      }
      const updated = await this.numbers.updateRouting(tx, row, { voiceFlowId: dto.voice_flow_id, smsCallbackUrl: dto.sms_callback_url });
      const detail: Record<string, unknown> = { e164: row.e164 };
      if (dto.voice_flow_id !== undefined) detail.voice_flow_id = dto.voice_flow_id;
      if (dto.sms_callback_url !== undefined) detail.sms_callback_url = auditedUrl(dto.sms_callback_url);
      await this.audit.record(ctx, { action: 'number.updated', projectId, target: id, detail }, tx);
      return toNumberDto(updated);
    });
  }

  /**
   * Releases the number (see NumbersRepository.release) and audits `number.released`; sends from
   * it are refused from then on. @throws DomainError not_found
   */
  async release(ctx: AuditContext, projectId: string, id: string): Promise<void> {
    const released = await this.ds.transaction(async (tx) => {
      const row = await this.numbers.release(tx, projectId, id);
      if (!row) throw DomainError.notFound('number');
      await this.audit.record(ctx, { action: 'number.released', projectId, target: id, detail: { e164: row.e164 } }, tx);
      return row;
    });
    this.senders.forget(projectId, released.e164);
  }
}
