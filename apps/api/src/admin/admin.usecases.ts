import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DATA_SOURCE, FlowEntity, newId, PhoneNumberEntity, ProjectEntity, projectExists } from '@gw/database';
import { DomainError, ErrorCode } from '@gw/errors';
import { generateWebhookSecret } from '@gw/security';
import { AuditContext, AuditLogRepository } from '../audit/audit-log.repository';
import { CallbackUrlPolicy } from '../common/callback-urls';
import { ApiKeysRepository } from '../keys/api-keys.repository';
import type { AddNumberDto, CreateProjectDto, CreatedProjectDto, PhoneNumberDto } from './dto/admin.dto';

/** Operator use cases: projects and their phone numbers (API keys: ApiKeysUseCases); each change audited. */
@Injectable()
export class AdminUseCases {
  constructor(
    @Inject(DATA_SOURCE) private readonly ds: DataSource,
    private readonly keys: ApiKeysRepository,
    private readonly audit: AuditLogRepository,
    private readonly callbackUrls: CallbackUrlPolicy,
  ) {}

  /**
   * Creates a project, its first API key and its webhook secret in one transaction.
   * @throws DomainError validation_failed when default_callback_url is on a refused address (CallbackUrlPolicy).
   */
  async createProject(ctx: AuditContext, dto: CreateProjectDto): Promise<CreatedProjectDto> {
    await this.callbackUrls.assertDeliverable('default_callback_url', dto.default_callback_url);
    return this.ds.transaction(async (tx) => {
      const project = tx.create(ProjectEntity, {
        id: newId('prj'),
        name: dto.name,
        defaultCallbackUrl: dto.default_callback_url ?? null,
        webhookSecret: generateWebhookSecret(),
      });
      await tx.insert(ProjectEntity, project);
      const key = await this.keys.issue(tx, project.id, {});
      await this.audit.record(
        ctx,
        { action: 'project.created', projectId: project.id, target: project.id, detail: { first_key_id: key.row.id } },
        tx,
      );
      return {
        id: project.id,
        name: project.name,
        default_callback_url: project.defaultCallbackUrl,
        webhook_secret: project.webhookSecret,
        api_key: key.key,
      };
    });
  }

  /**
   * Assigns an E.164 number to a project, or updates the flow answering it (idempotent for the owner).
   * @throws DomainError not_found (project, or a flow not of this project), conflict when another project owns it
   */
  async addNumber(ctx: AuditContext, projectId: string, dto: AddNumberDto): Promise<PhoneNumberDto> {
    return this.ds.transaction(async (tx) => {
      if (!(await projectExists(tx, projectId))) throw DomainError.notFound('project');
      const flowId = dto.voice_flow_id ?? null;
      if (flowId && !(await tx.existsBy(FlowEntity, { id: flowId, projectId }))) {
        throw new DomainError(ErrorCode.NotFound, 'flow not found', [{ field: 'voice_flow_id', message: 'no such flow in this project' }]);
      }
      const existing = await tx.findOneBy(PhoneNumberEntity, { e164: dto.e164 });
      if (existing && existing.projectId !== projectId) {
        throw new DomainError(ErrorCode.Conflict, 'number is owned by another project', [{ field: 'e164', message: 'already assigned' }]);
      }
      const row = existing ?? tx.create(PhoneNumberEntity, { id: newId('pn'), projectId, e164: dto.e164, voiceFlowId: flowId });
      if (existing) {
        if (dto.voice_flow_id !== undefined) await tx.update(PhoneNumberEntity, { id: existing.id }, { voiceFlowId: flowId });
        row.voiceFlowId = dto.voice_flow_id !== undefined ? flowId : existing.voiceFlowId;
      } else {
        await tx.insert(PhoneNumberEntity, row);
      }
      await this.audit.record(
        ctx,
        {
          action: existing ? 'number.updated' : 'number.assigned',
          projectId,
          target: row.id,
          detail: { e164: row.e164, voice_flow_id: row.voiceFlowId },
        },
        tx,
      );
      return { id: row.id, project_id: projectId, e164: row.e164, voice_flow_id: row.voiceFlowId };
    });
  }
}
