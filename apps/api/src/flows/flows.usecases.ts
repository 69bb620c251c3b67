import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { DATA_SOURCE, FlowEntity, FlowVersionEntity, newId } from '@gw/database';
import { DomainError, ErrorCode } from '@gw/errors';
import { type Flow, validateFlow } from '@gw/flow';
import type { FlowDto, FlowVersionDto } from './dto/flow.dto';
import { FlowAcceptance } from './flow-acceptance';

/**
 * Validates a flow document with the DSL validator and returns it as a Flow.
 * @throws DomainError validation_failed whose fields are JSON Pointers into the request body
 * (`/document/steps/2/numDigits`) with the validator's stable code in the message.
 */
export function assertValidFlow(document: unknown, pointerPrefix = '/document'): Flow {
  const result = validateFlow(document);
  if (result.ok) return result.flow;
  throw new DomainError(
    ErrorCode.ValidationFailed,
    `invalid flow document: ${result.errors.map((e) => `${pointerPrefix}${e.path}: ${e.message}`).join('; ')}`,
    result.errors.map((e) => ({ field: `${pointerPrefix}${e.path}`, message: `${e.code}: ${e.message}` })),
  );
}

/**
 * Flows of a project: create, add versions, activate one (exactly one active), read. A document is
 * stored only when valid and acceptable for the project (FlowAcceptance: the URLs it fetches, the
 * targets it dials).
 */
@Injectable()
export class FlowsUseCases {
  constructor(
    @Inject(DATA_SOURCE) private readonly ds: DataSource,
    private readonly acceptance: FlowAcceptance,
  ) {}

  /** Creates a flow with version 1 active. @throws DomainError validation_failed (document, or FlowAcceptance) */
  async create(projectId: string, name: string, document: Record<string, unknown>): Promise<FlowDto> {
    await this.acceptance.assertAcceptable(projectId, assertValidFlow(document));
    const id = newId('flw');
    await this.ds.transaction(async (tx) => {
      await tx.insert(FlowEntity, { id, projectId, name, activeVersion: 1 });
      await insertVersion(tx, id, 1, document);
    });
    return this.get(projectId, id);
  }

  /** Adds the next version (inactive). @throws DomainError not_found, validation_failed (document, or FlowAcceptance) */
  async addVersion(projectId: string, flowId: string, document: Record<string, unknown>): Promise<FlowVersionDto> {
    await this.acceptance.assertAcceptable(projectId, assertValidFlow(document));
    return this.ds.transaction(async (tx) => {
      const flow = await this.lockFlow(tx, projectId, flowId);
      const [{ next }] = await tx.query(`SELECT COALESCE(MAX(version), 0) + 1 AS next FROM flow_versions WHERE flow_id = $1`, [flowId]);
      await insertVersion(tx, flowId, Number(next), document);
      const row = await tx.findOneByOrFail(FlowVersionEntity, { flowId, version: Number(next) });
      return toVersionDto(row, flow.activeVersion);
    });
  }

  /** Makes `version` the active one. @throws DomainError not_found */
  async activate(projectId: string, flowId: string, version: number): Promise<FlowDto> {
    await this.ds.transaction(async (tx) => {
      await this.lockFlow(tx, projectId, flowId);
      if (!(await tx.existsBy(FlowVersionEntity, { flowId, version }))) throw DomainError.notFound('flow version');
      await tx.update(FlowEntity, { id: flowId }, { activeVersion: version });
    });
    return this.get(projectId, flowId);
  }

  /** @throws DomainError not_found (also for another project's flow) */
  async get(projectId: string, flowId: string): Promise<FlowDto> {
    const flow = await this.ds.getRepository(FlowEntity).findOneBy({ id: flowId, projectId });
    if (!flow) throw DomainError.notFound('flow');
    const versions = await this.ds.getRepository(FlowVersionEntity).find({ where: { flowId }, order: { version: 'ASC' } });
    return toFlowDto(flow, versions);
  }

  async getVersion(projectId: string, flowId: string, version: number): Promise<FlowVersionDto> {
    const flow = await this.ds.getRepository(FlowEntity).findOneBy({ id: flowId, projectId });
    const row = flow ? await this.ds.getRepository(FlowVersionEntity).findOneBy({ flowId, version }) : null;
    if (!flow || !row) throw DomainError.notFound('flow version');
    return toVersionDto(row, flow.activeVersion);
  }

  async list(projectId: string): Promise<FlowDto[]> {
    const flows = await this.ds.getRepository(FlowEntity).find({ where: { projectId }, order: { createdAt: 'DESC' } });
    const versions = flows.length
      ? await this.ds
          .getRepository(FlowVersionEntity)
          .createQueryBuilder('v')
          .where('v.flow_id IN (:...ids)', { ids: flows.map((f) => f.id) })
          .orderBy('v.version', 'ASC')
          .getMany()
      : [];
    return flows.map((f) =>
      toFlowDto(
        f,
        versions.filter((v) => v.flowId === f.id),
      ),
    );
  }

  private async lockFlow(tx: EntityManager, projectId: string, flowId: string): Promise<FlowEntity> {
    const flow = await tx
      .getRepository(FlowEntity)
      .createQueryBuilder('f')
      .setLock('pessimistic_write')
      .where('f.id = :flowId AND f.project_id = :projectId', { flowId, projectId })
      .getOne();
    if (!flow) throw DomainError.notFound('flow');
    return flow;
  }
}

async function insertVersion(tx: EntityManager, flowId: string, version: number, document: Record<string, unknown>): Promise<void> {
  await tx.query(`INSERT INTO flow_versions (flow_id, version, document) VALUES ($1, $2, $3::jsonb)`, [
    flowId,
    version,
    JSON.stringify(document),
  ]);
}

function toFlowDto(flow: FlowEntity, versions: FlowVersionEntity[]): FlowDto {
  return {
    id: flow.id,
    name: flow.name,
    active_version: flow.activeVersion,
    versions: versions.map((v) => v.version),
    document: versions.find((v) => v.version === flow.activeVersion)?.document ?? null,
    created_at: new Date(flow.createdAt).toISOString(),
  };
}

function toVersionDto(v: FlowVersionEntity, active: number | null): FlowVersionDto {
  return {
    flow_id: v.flowId,
    version: v.version,
    active: v.version === active,
    document: v.document,
    created_at: new Date(v.createdAt).toISOString(),
  };
}
