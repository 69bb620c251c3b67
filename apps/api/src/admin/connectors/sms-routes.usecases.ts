import { isDeepStrictEqual } from 'node:util';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { DATA_SOURCE, projectExists, SmsRouteEntity } from '@gw/database';
import { DomainError, ErrorCode } from '@gw/errors';
import { ConnectorRepository, RouteRepository, type RouteChanges } from '@gw/routing';
import { AuditContext, AuditLogRepository } from '../../audit/audit-log.repository';
import { ConnectorRegistryEvents } from './connector-registry-events';
import type { CreateSmsRouteDto, ListSmsRoutesQueryDto, SmsRouteDto, SmsRoutePageDto, UpdateSmsRouteDto } from './dto/sms-route.dto';
import { cursorOf, positionOf } from '../../common/cursor';

/** The API field of each route column. */
const FIELDS = {
  project_id: 'projectId',
  prefix: 'prefix',
  price: 'price',
  connector_ids: 'connectorIds',
  enabled: 'enabled',
} as const satisfies Record<keyof UpdateSmsRouteDto, keyof RouteChanges>;

/** A route as the admin API returns it. */
export function toSmsRouteDto(r: SmsRouteEntity): SmsRouteDto {
  return {
    id: r.id,
    project_id: r.projectId,
    prefix: r.prefix,
    price: r.price,
    connector_ids: r.connectorIds,
    enabled: r.enabled,
    created_at: r.createdAt.toISOString(),
    updated_at: r.updatedAt.toISOString(),
  };
}

/**
 * The operator's SMS routes (`/admin/routes`): which connectors carry a project's (or every
 * project's) MTs to a destination prefix, in failover order, at what price. The project and every
 * connector id are checked before anything is written. Each change is audited (under the route's
 * project, none for a global route) in its own transaction and announced to the connector
 * processes after commit.
 */
@Injectable()
export class SmsRoutesUseCases {
  constructor(
    @Inject(DATA_SOURCE) private readonly ds: DataSource,
    private readonly routes: RouteRepository,
    private readonly connectors: ConnectorRepository,
    private readonly audit: AuditLogRepository,
    private readonly events: ConnectorRegistryEvents,
  ) {}

  /** Newest first, the project's own routes only when `project_id` is given. @throws DomainError validation_failed naming `cursor` */
  async list(q: ListSmsRoutesQueryDto): Promise<SmsRoutePageDto> {
    const page = await this.routes.list({ limit: q.limit ?? 20, after: positionOf(q.cursor), projectId: q.project_id });
    return { data: page.rows.map(toSmsRouteDto), next_cursor: cursorOf(page.next) };
  }

  /**
   * Creates a route and audits `sms_route.created`.
   * @throws DomainError not_found naming `project_id`; validation_failed naming each unknown `connector_ids.<i>`
   */
  async create(ctx: AuditContext, dto: CreateSmsRouteDto): Promise<SmsRouteDto> {
    const row = await this.ds.transaction(async (tx) => {
      await this.checkReferences(tx, dto.project_id ?? null, dto.connector_ids);
      const created = await this.routes.create(
        {
          projectId: dto.project_id ?? null,
          prefix: dto.prefix,
          price: dto.price ?? null,
          connectorIds: dto.connector_ids,
          enabled: dto.enabled,
        },
        tx,
      );
      const { id: _, project_id: projectId, created_at: _c, updated_at: _u, ...detail } = toSmsRouteDto(created);
      await this.audit.record(ctx, { action: 'sms_route.created', projectId, target: created.id, detail }, tx);
      return created;
    });
    await this.events.announce();
    return toSmsRouteDto(row);
  }

  /**
   * Changes the fields given and audits `sms_route.updated` with each changed field before and
   * after (under the project after the change). @throws DomainError as create; not_found (route)
   */
  async update(ctx: AuditContext, id: string, dto: UpdateSmsRouteDto): Promise<SmsRouteDto> {
    const result = await this.ds.transaction(async (tx) => {
      const before = await this.routes.get(id, tx, true);
      if (!before) throw DomainError.notFound('route');
      await this.checkReferences(tx, dto.project_id ?? null, dto.connector_ids ?? []);
      const changes: RouteChanges = {};
      const diff: Record<string, { before: unknown; after: unknown }> = {};
      for (const [field, column] of Object.entries(FIELDS) as Array<[keyof typeof FIELDS, (typeof FIELDS)[keyof typeof FIELDS]]>) {
        const value = dto[field];
        if (value === undefined || isDeepStrictEqual(value, before[column])) continue;
        (changes as Record<string, unknown>)[column] = value;
        diff[field] = { before: before[column], after: value };
      }
      if (Object.keys(diff).length === 0) return { row: before, changed: false };
      const after = (await this.routes.update(id, changes, tx))!;
      await this.audit.record(ctx, { action: 'sms_route.updated', projectId: after.projectId, target: id, detail: { changes: diff } }, tx);
      return { row: after, changed: true };
    });
    if (result.changed) await this.events.announce();
    return toSmsRouteDto(result.row);
  }

  /** Deletes the route and audits `sms_route.deleted` with what it was. @throws DomainError not_found */
  async delete(ctx: AuditContext, id: string): Promise<void> {
    await this.ds.transaction(async (tx) => {
      const row = await this.routes.delete(id, tx);
      if (!row) throw DomainError.notFound('route');
      const { id: _, project_id: projectId, created_at: _c, updated_at: _u, ...detail } = toSmsRouteDto(row);
      await this.audit.record(ctx, { action: 'sms_route.deleted', projectId, target: id, detail }, tx);
    });
    await this.events.announce();
  }

  /**
   * @throws DomainError not_found naming `project_id` when `projectId` is no project; validation_failed
   * naming each `connector_ids.<i>` that is no connector (disabled ones are connectors: MTs skip them)
   */
  private async checkReferences(tx: EntityManager, projectId: string | null, connectorIds: readonly string[]): Promise<void> {
    if (projectId !== null && !(await projectExists(tx, projectId))) {
      throw new DomainError(ErrorCode.NotFound, 'project not found', [{ field: 'project_id', message: 'no such project' }]);
    }
    const unknown = new Set(await this.connectors.unknownIds(connectorIds, tx));
    if (unknown.size === 0) return;
    const fields = connectorIds.flatMap((id, i) =>
      unknown.has(id) ? [{ field: `connector_ids.${i}`, message: 'no such connector' }] : [],
    );
    throw new DomainError(ErrorCode.ValidationFailed, fields.map((f) => `${f.field}: ${f.message}`).join('; '), fields);
  }
}
