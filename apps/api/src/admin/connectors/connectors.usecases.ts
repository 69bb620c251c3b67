import { isDeepStrictEqual } from 'node:util';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ConnectorEntity, DATA_SOURCE, type BreakerOverride } from '@gw/database';
import { DomainError } from '@gw/errors';
import { ConnectorRepository, validateConnectorSettings, type ConnectorChanges } from '@gw/routing';
import { AuditContext, AuditLogRepository } from '../../audit/audit-log.repository';
import { ConnectorRegistryEvents } from './connector-registry-events';
import type {
  ConnectorDetailDto,
  ConnectorDto,
  ConnectorPageDto,
  CreateConnectorDto,
  SetBreakerDto,
  UpdateConnectorDto,
} from './dto/connector.dto';
import { cursorOf, positionOf } from '../../common/cursor';

/** The API field of each changeable connector column. */
const FIELDS = {
  name: 'name',
  settings: 'settings',
  enabled: 'enabled',
  tps: 'tps',
  window: 'window',
  breaker_failures: 'breakerFailures',
  breaker_half_open_ms: 'breakerHalfOpenMs',
} as const satisfies Record<keyof UpdateConnectorDto, keyof ConnectorChanges>;

/** A connector as the admin API returns it: settings as stored (secret references, never secrets). */
export function toConnectorDto(c: ConnectorEntity): ConnectorDto {
  return {
    id: c.id,
    name: c.name,
    kind: c.kind,
    settings: c.settings,
    enabled: c.enabled,
    tps: c.tps,
    window: c.window,
    breaker_failures: c.breakerFailures,
    breaker_half_open_ms: c.breakerHalfOpenMs,
    breaker_override: c.breakerOverride,
    created_at: c.createdAt.toISOString(),
    updated_at: c.updatedAt.toISOString(),
  };
}

/**
 * The operator's connector registry (`/admin/connectors`): the SMSC paths MTs go through, their
 * shared limits and circuit breaker settings. Settings are checked for their kind before anything
 * is written and never hold a secret in clear. Each change is audited in its own transaction and
 * announced to the connector processes after commit; a request that changes nothing records and
 * announces nothing. Connectors are never deleted: DELETE disables, so routes naming them stay valid.
 */
@Injectable()
export class ConnectorsUseCases {
  constructor(
    @Inject(DATA_SOURCE) private readonly ds: DataSource,
    private readonly connectors: ConnectorRepository,
    private readonly audit: AuditLogRepository,
    private readonly events: ConnectorRegistryEvents,
  ) {}

  /** Newest first. @throws DomainError validation_failed naming `cursor` */
  async list(limit: number, cursor: string | undefined): Promise<ConnectorPageDto> {
    const page = await this.connectors.list({ limit, after: positionOf(cursor) });
    return { data: page.rows.map(toConnectorDto), next_cursor: cursorOf(page.next) };
  }

  /** The connector with its breaker override and each replica's breaker state. @throws DomainError not_found */
  async get(id: string): Promise<ConnectorDetailDto> {
    const row = await this.connectors.get(id);
    if (!row) throw DomainError.notFound('connector');
    return { ...toConnectorDto(row), breaker: { override: row.breakerOverride, replicas: await this.events.breakerStates(id) } };
  }

  /**
   * Registers a connector and audits `connector.created`.
   * @throws DomainError validation_failed naming `kind` or `settings.<field>` (see
   * validateConnectorSettings); conflict naming `name` when another connector has it
   */
  async create(ctx: AuditContext, dto: CreateConnectorDto): Promise<ConnectorDto> {
    validateConnectorSettings(dto.kind, dto.settings);
    const row = await this.ds.transaction(async (tx) => {
      const created = await this.connectors.create(
        {
          name: dto.name,
          kind: dto.kind,
          settings: dto.settings,
          enabled: dto.enabled,
          tps: dto.tps,
          window: dto.window,
          breakerFailures: dto.breaker_failures,
          breakerHalfOpenMs: dto.breaker_half_open_ms,
        },
        tx,
      );
      const { id: _, created_at: _c, updated_at: _u, ...detail } = toConnectorDto(created);
      await this.audit.record(ctx, { action: 'connector.created', target: created.id, detail }, tx);
      return created;
    });
    await this.events.announce();
    return toConnectorDto(row);
  }

  /**
   * Changes the fields given (settings replaced whole and checked again for the connector's kind)
   * and audits `connector.updated` with each changed field before and after.
   * @throws DomainError not_found; validation_failed naming `settings.<field>`; conflict naming `name`
   */
  async update(ctx: AuditContext, id: string, dto: UpdateConnectorDto): Promise<ConnectorDto> {
    const result = await this.ds.transaction(async (tx) => {
      const before = await this.connectors.get(id, tx, true);
      if (!before) throw DomainError.notFound('connector');
      if (dto.settings !== undefined) validateConnectorSettings(before.kind, dto.settings);
      const changes: ConnectorChanges = {};
      const diff: Record<string, { before: unknown; after: unknown }> = {};
      for (const [field, column] of Object.entries(FIELDS) as Array<[keyof typeof FIELDS, (typeof FIELDS)[keyof typeof FIELDS]]>) {
        const value = dto[field];
        if (value === undefined || isDeepStrictEqual(value, before[column])) continue;
        (changes as Record<string, unknown>)[column] = value;
        diff[field] = { before: before[column], after: value };
      }
      if (Object.keys(diff).length === 0) return { row: before, changed: false };
      const after = (await this.connectors.update(id, changes, tx))!;
      await this.audit.record(ctx, { action: 'connector.updated', target: id, detail: { name: after.name, changes: diff } }, tx);
      return { row: after, changed: true };
    });
    if (result.changed) await this.events.announce();
    return toConnectorDto(result.row);
  }

  /** Disables the connector (idempotent) and audits `connector.disabled`; routes keep naming it, MTs skip it. @throws DomainError not_found */
  async disable(ctx: AuditContext, id: string): Promise<ConnectorDto> {
    const result = await this.ds.transaction(async (tx) => {
      const row = await this.connectors.get(id, tx, true);
      if (!row) throw DomainError.notFound('connector');
      if (!row.enabled) return { row, changed: false };
      const disabled = (await this.connectors.setEnabled(id, false, tx))!;
      await this.audit.record(ctx, { action: 'connector.disabled', target: id, detail: { name: row.name } }, tx);
      return { row: disabled, changed: true };
    });
    if (result.changed) await this.events.announce();
    return toConnectorDto(result.row);
  }

  /**
   * Forces the connector's circuit breaker `open` or `closed` on every replica, or returns it to
   * each replica's judgement (`auto`); audits `connector.breaker_set`. @throws DomainError not_found
   */
  async setBreaker(ctx: AuditContext, id: string, dto: SetBreakerDto): Promise<ConnectorDto> {
    const override: BreakerOverride | null = dto.state === 'auto' ? null : dto.state;
    const result = await this.ds.transaction(async (tx) => {
      const row = await this.connectors.get(id, tx, true);
      if (!row) throw DomainError.notFound('connector');
      if (row.breakerOverride === override) return { row, changed: false };
      const updated = (await this.connectors.setBreakerOverride(id, override, tx))!;
      await this.audit.record(
        ctx,
        { action: 'connector.breaker_set', target: id, detail: { name: row.name, before: row.breakerOverride, after: override } },
        tx,
      );
      return { row: updated, changed: true };
    });
    if (result.changed) await this.events.announce();
    return toConnectorDto(result.row);
  }
}
