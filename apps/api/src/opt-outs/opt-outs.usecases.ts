import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, ApiConfig } from '@gw/config';
import { DATA_SOURCE, OptOutEntity } from '@gw/database';
import { DomainError } from '@gw/errors';
import { KeywordSettings } from '@gw/sms';
import { analyzeText } from '@gw/sms-text';
import { AuditContext, AuditLogRepository } from '../audit/audit-log.repository';
import type { CreateOptOutDto, ListOptOutsQueryDto, OptOutDto, OptOutPageDto } from './dto/opt-out.dto';
import type { EffectiveMessagingSettingsDto, MessagingSettingsDto } from './dto/messaging-settings.dto';
import { MessagingSettingsRepository } from './messaging-settings.repository';
import { OptOutsRepository } from './opt-outs.repository';

/** Entity -> API shape. */
export function toOptOutDto(o: OptOutEntity): OptOutDto {
  return {
    id: o.id,
    phone: o.phone,
    sender: o.sender,
    source: o.source,
    keyword: o.keyword,
    message_id: o.messageId,
    created_at: new Date(o.createdAt).toISOString(),
  };
}

function toSettingsDto(s: KeywordSettings): EffectiveMessagingSettingsDto {
  return {
    opt_out_scope: s.optOutScope,
    help_text: s.helpText,
    stop_confirmation: s.stopConfirmation,
    start_confirmation: s.startConfirmation,
  };
}

/**
 * Opt-outs a project manages itself (`/v1/opt-outs`) and the operator's messaging settings of a
 * project; every change is audited in its own transaction.
 */
@Injectable()
export class OptOutsUseCases {
  constructor(
    @Inject(DATA_SOURCE) private readonly ds: DataSource,
    @Inject(APP_CONFIG) private readonly config: ApiConfig,
    private readonly optOuts: OptOutsRepository,
    private readonly settings: MessagingSettingsRepository,
    private readonly audit: AuditLogRepository,
  ) {}

  /** @throws DomainError validation_failed naming `cursor` */
  async list(projectId: string, q: ListOptOutsQueryDto): Promise<OptOutPageDto> {
    const page = await this.optOuts.list(projectId, q);
    return { data: page.rows.map(toOptOutDto), next_cursor: page.next };
  }

  /** Opts `phone` out of `sender` (null: the project); an existing opt-out is returned unchanged, with `created` false. */
  async add(ctx: AuditContext, projectId: string, dto: CreateOptOutDto): Promise<{ optOut: OptOutDto; created: boolean }> {
    return this.ds.transaction(async (tx) => {
      const { row, created } = await this.optOuts.add(tx, { projectId, phone: dto.phone, sender: dto.sender ?? null });
      if (created) {
        await this.audit.record(
          ctx,
          { action: 'opt_out.created', projectId, target: row.id, detail: { phone: row.phone, sender: row.sender } },
          tx,
        );
      }
      return { optOut: toOptOutDto(row), created };
    });
  }

  /** Deletes an opt-out: the handset gets the project's MTs again. @throws DomainError not_found */
  async remove(ctx: AuditContext, projectId: string, id: string): Promise<void> {
    await this.ds.transaction(async (tx) => {
      const row = await this.optOuts.remove(tx, projectId, id);
      if (!row) throw DomainError.notFound('opt-out');
      await this.audit.record(
        ctx,
        { action: 'opt_out.deleted', projectId, target: row.id, detail: { phone: row.phone, sender: row.sender } },
        tx,
      );
    });
  }

  /** @throws DomainError not_found (project) */
  async getSettings(projectId: string): Promise<EffectiveMessagingSettingsDto> {
    const s = await this.settings.get(projectId);
    if (!s) throw DomainError.notFound('project');
    return toSettingsDto(s);
  }

  /**
   * Replaces a project's messaging settings (absent fields: the defaults) and audits it; the texts
   * themselves stay out of the audit record, which names only the ones set.
   * @throws DomainError not_found (project), validation_failed naming a text over MAX_SMS_SEGMENTS
   */
  async putSettings(ctx: AuditContext, projectId: string, dto: MessagingSettingsDto): Promise<EffectiveMessagingSettingsDto> {
    const next: KeywordSettings = {
      optOutScope: dto.opt_out_scope ?? 'sender',
      helpText: dto.help_text ?? null,
      stopConfirmation: dto.stop_confirmation ?? null,
      startConfirmation: dto.start_confirmation ?? null,
    };
    for (const field of ['help_text', 'stop_confirmation', 'start_confirmation'] as const) {
      const text = dto[field];
      if (!text) continue;
      const { segments, encoding } = analyzeText(text);
      if (segments > this.config.MAX_SMS_SEGMENTS) {
        throw DomainError.invalid(field, `needs ${segments} ${encoding} segments; at most ${this.config.MAX_SMS_SEGMENTS} are allowed`);
      }
    }
    return this.ds.transaction(async (tx) => {
      if (!(await this.settings.get(projectId, tx))) throw DomainError.notFound('project');
      await this.settings.put(tx, projectId, next);
      const custom = (['help_text', 'stop_confirmation', 'start_confirmation'] as const).filter((f) => dto[f]);
      await this.audit.record(
        ctx,
        {
          action: 'messaging_settings.updated',
          projectId,
          target: projectId,
          detail: { opt_out_scope: next.optOutScope, custom_texts: custom },
        },
        tx,
      );
      return toSettingsDto(next);
    });
  }
}
