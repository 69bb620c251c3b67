import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsObject, IsOptional, IsString, Matches, Max, Min, ValidateIf } from 'class-validator';
import { CARRIER_KINDS } from '@gw/connectors';
import { BREAKER_STATES } from '@gw/routing';

/** Carrier kinds a connector may be of (@gw/connectors CARRIER_KINDS). */
const KINDS = CARRIER_KINDS.map((k) => k.kind);

/** Bounds of the connector limits and circuit breaker settings. */
export const CONNECTOR_LIMITS = {
  maxTps: 100_000,
  maxWindow: 100_000,
  maxBreakerFailures: 1_000,
  minHalfOpenMs: 100,
  maxHalfOpenMs: 3_600_000,
} as const;

const NAME = /^[a-z0-9-]{1,64}$/;

const DOCS = {
  name: 'Unique name, 1 to 64 characters of a-z, 0-9 and -',
  settings:
    "The kind's settings (jasmin: url, username, password_ref, timeout_ms). Secrets only as references: a setting `<name>_ref` holding " +
    '`env:NAME` (an environment variable of the connector processes) or `file:/path`; a literal password, secret, token or api_key is refused',
  enabled: 'false: no MT goes through it (DELETE sets this)',
  tps: 'Messages per second across every replica of the connector; null: unlimited',
  window: 'Submits in flight (sent, not yet answered) across every replica; null: unlimited',
  breakerFailures: 'Consecutive failures that open the circuit breaker',
  breakerHalfOpenMs: 'How long an open circuit breaker waits before letting one submit through (half-open), ms',
} as const;

/** The field may be left out but, when given, not be null (a column that has no null). */
const AbsentOr = () => ValidateIf((_: object, value: unknown) => value !== undefined);

const Name = (optional: boolean) =>
  applyDecorators(
    (optional ? ApiPropertyOptional : ApiProperty)({ description: DOCS.name, pattern: NAME.source, example: 'jasmin-eu-1' }),
    ...(optional ? [AbsentOr()] : []),
    IsString(),
    Matches(NAME, { message: '$property must be 1 to 64 characters of a-z, 0-9 and -' }),
  );

const Settings = (optional: boolean) =>
  applyDecorators(
    (optional ? ApiPropertyOptional : ApiProperty)({
      type: 'object',
      additionalProperties: true,
      description: optional ? `${DOCS.settings}. Replaces the settings whole, checked again for the connector's kind` : DOCS.settings,
      example: { url: 'http://127.0.0.1:1401', username: 'gw', password_ref: 'env:JASMIN_PASSWORD' },
    }),
    ...(optional ? [AbsentOr()] : []),
    IsObject(),
  );

const Enabled = () => applyDecorators(ApiPropertyOptional({ description: DOCS.enabled, default: true }), AbsentOr(), IsBoolean());

/** An optional limit: null is unlimited. */
const Limit = (description: string, max: number) =>
  applyDecorators(
    ApiPropertyOptional({ type: 'integer', nullable: true, minimum: 1, maximum: max, description }),
    IsOptional(),
    IsInt(),
    Min(1),
    Max(max),
  );

const BreakerFailures = () =>
  applyDecorators(
    ApiPropertyOptional({
      type: 'integer',
      minimum: 1,
      maximum: CONNECTOR_LIMITS.maxBreakerFailures,
      default: 5,
      description: DOCS.breakerFailures,
    }),
    AbsentOr(),
    IsInt(),
    Min(1),
    Max(CONNECTOR_LIMITS.maxBreakerFailures),
  );

const BreakerHalfOpenMs = () =>
  applyDecorators(
    ApiPropertyOptional({
      type: 'integer',
      minimum: CONNECTOR_LIMITS.minHalfOpenMs,
      maximum: CONNECTOR_LIMITS.maxHalfOpenMs,
      default: 5000,
      description: DOCS.breakerHalfOpenMs,
    }),
    AbsentOr(),
    IsInt(),
    Min(CONNECTOR_LIMITS.minHalfOpenMs),
    Max(CONNECTOR_LIMITS.maxHalfOpenMs),
  );

/** `POST /admin/connectors` body. */
export class CreateConnectorDto {
  @Name(false) name!: string;

  @ApiProperty({ enum: KINDS, description: 'Carrier kind; fixed for the life of the connector' })
  @IsIn(KINDS)
  kind!: string;

  @Settings(false) settings!: Record<string, unknown>;
  @Enabled() enabled?: boolean;
  @Limit(DOCS.tps, CONNECTOR_LIMITS.maxTps) tps?: number | null;
  @Limit(DOCS.window, CONNECTOR_LIMITS.maxWindow) window?: number | null;
  @BreakerFailures() breaker_failures?: number;
  @BreakerHalfOpenMs() breaker_half_open_ms?: number;
}

/** `PATCH /admin/connectors/{id}` body: the fields to change (a field left out keeps its value; `kind` never changes). */
export class UpdateConnectorDto {
  @Name(true) name?: string;
  @Settings(true) settings?: Record<string, unknown>;
  @Enabled() enabled?: boolean;
  @Limit(DOCS.tps, CONNECTOR_LIMITS.maxTps) tps?: number | null;
  @Limit(DOCS.window, CONNECTOR_LIMITS.maxWindow) window?: number | null;
  @BreakerFailures() breaker_failures?: number;
  @BreakerHalfOpenMs() breaker_half_open_ms?: number;
}

/** What `PUT /admin/connectors/{id}/breaker` sets. */
export const BREAKER_COMMANDS = ['open', 'closed', 'auto'] as const;

/** `PUT /admin/connectors/{id}/breaker` body. */
export class SetBreakerDto {
  @ApiProperty({
    enum: BREAKER_COMMANDS,
    description:
      "`open`: no MT goes through the connector on any replica; `closed`: every MT is tried whatever the failures; `auto`: each replica's breaker decides",
  })
  @IsIn(BREAKER_COMMANDS)
  state!: (typeof BREAKER_COMMANDS)[number];
}

/** A connector as stored: settings hold secret references, never secrets. */
export class ConnectorDto {
  @ApiProperty({ example: 'conn_3kT9aQ2xY7bN5mP1cR8dV4wZ' }) id!: string;
  @ApiProperty({ description: DOCS.name }) name!: string;
  @ApiProperty({ enum: KINDS }) kind!: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'As given; secrets as references (`*_ref`)' })
  settings!: Record<string, unknown>;
  @ApiProperty({ description: DOCS.enabled }) enabled!: boolean;
  @ApiProperty({ type: 'integer', nullable: true, description: DOCS.tps }) tps!: number | null;
  @ApiProperty({ type: 'integer', nullable: true, description: DOCS.window }) window!: number | null;
  @ApiProperty({ type: 'integer', description: DOCS.breakerFailures }) breaker_failures!: number;
  @ApiProperty({ type: 'integer', description: DOCS.breakerHalfOpenMs }) breaker_half_open_ms!: number;
  @ApiProperty({
    enum: ['open', 'closed'],
    nullable: true,
    type: String,
    description: "The operator's forced breaker state; null: automatic",
  })
  breaker_override!: 'open' | 'closed' | null;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
  @ApiProperty({ format: 'date-time' }) updated_at!: string;
}

/** One replica's circuit breaker as it last reported it. */
export class ReplicaBreakerStateDto {
  @ApiProperty({ description: 'The connector process replica' }) replica!: string;
  @ApiProperty({ enum: BREAKER_STATES }) state!: (typeof BREAKER_STATES)[number];
  @ApiProperty({ format: 'date-time', description: 'When it entered the state' }) since!: string;
  @ApiProperty({ type: 'integer', description: 'Consecutive failures counted' }) failures!: number;
}

/** The circuit breaker of a connector: the operator's override and each replica's state. */
export class ConnectorBreakerDto {
  @ApiProperty({ enum: ['open', 'closed'], nullable: true, type: String, description: 'null: automatic' }) override!:
    'open' | 'closed' | null;
  @ApiProperty({
    type: [ReplicaBreakerStateDto],
    nullable: true,
    description: 'Every replica that reported, by replica; null: the states could not be read (Redis unavailable)',
  })
  replicas!: ReplicaBreakerStateDto[] | null;
}

/** A connector with its circuit breaker's state. */
export class ConnectorDetailDto extends ConnectorDto {
  @ApiProperty({ type: ConnectorBreakerDto }) breaker!: ConnectorBreakerDto;
}

/** A page of connectors, newest first; pass `next_cursor` as `cursor` for the next page. */
export class ConnectorPageDto {
  @ApiProperty({ type: [ConnectorDto] }) data!: ConnectorDto[];
  @ApiProperty({ nullable: true, type: String }) next_cursor!: string | null;
}
