import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ApiKeyEntity, DATA_SOURCE, newId, PhoneNumberEntity, ProjectEntity } from '@gw/database';
import { DomainError, ErrorCode } from '@gw/errors';
import { generateApiKey, generateWebhookSecret } from '@gw/security';
import type { AddNumberDto, CreateProjectDto, CreatedApiKeyDto, CreatedProjectDto, PhoneNumberDto } from './dto/admin.dto';

/** Operator use cases: projects, their API keys and phone numbers. */
@Injectable()
export class AdminUseCases {
  constructor(@Inject(DATA_SOURCE) private readonly ds: DataSource) {}

  /** Creates a project, its first API key and its webhook secret in one transaction. */
  async createProject(dto: CreateProjectDto): Promise<CreatedProjectDto> {
    return this.ds.transaction(async (tx) => {
      const project = tx.create(ProjectEntity, {
        id: newId('prj'),
        name: dto.name,
        defaultCallbackUrl: dto.default_callback_url ?? null,
        webhookSecret: generateWebhookSecret(),
      });
      await tx.insert(ProjectEntity, project);
      const key = await this.insertKey(tx, project.id);
      return {
        id: project.id,
        name: project.name,
        default_callback_url: project.defaultCallbackUrl,
        webhook_secret: project.webhookSecret,
        api_key: key.api_key,
      };
    });
  }

  /** Adds an API key to a project. @throws DomainError not_found */
  async createApiKey(projectId: string): Promise<CreatedApiKeyDto> {
    return this.ds.transaction(async (tx) => {
      if (!(await tx.existsBy(ProjectEntity, { id: projectId }))) throw DomainError.notFound('project');
      return this.insertKey(tx, projectId);
    });
  }

  /** Assigns an E.164 number to a project. @throws DomainError not_found, conflict when another project owns it */
  async addNumber(projectId: string, dto: AddNumberDto): Promise<PhoneNumberDto> {
    return this.ds.transaction(async (tx) => {
      if (!(await tx.existsBy(ProjectEntity, { id: projectId }))) throw DomainError.notFound('project');
      const existing = await tx.findOneBy(PhoneNumberEntity, { e164: dto.e164 });
      if (existing) {
        if (existing.projectId === projectId) return { id: existing.id, project_id: projectId, e164: existing.e164 };
        throw new DomainError(ErrorCode.Conflict, 'number is owned by another project', [{ field: 'e164', message: 'already assigned' }]);
      }
      const row = tx.create(PhoneNumberEntity, { id: newId('pn'), projectId, e164: dto.e164 });
      await tx.insert(PhoneNumberEntity, row);
      return { id: row.id, project_id: projectId, e164: row.e164 };
    });
  }

  private async insertKey(tx: EntityManager, projectId: string): Promise<CreatedApiKeyDto> {
    const generated = generateApiKey();
    const id = newId('key');
    await tx.insert(ApiKeyEntity, { id, projectId, prefix: generated.prefix, keyHash: generated.hash, revokedAt: null });
    return { id, api_key: generated.key };
  }
}
