import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  ValidateBy,
  ValidateIf,
} from 'class-validator';
import { PageQueryDto } from '../../../common/list-query.dto';

/** Most connectors in one route's failover list. */
export const MAX_ROUTE_CONNECTORS = 10;
/** Largest price per segment numeric(12,6) holds. */
export const MAX_PRICE = 999_999.999999;

const PROJECT_ID = /^prj_[0-9A-Za-z]{1,64}$/;
const PREFIX = /^[0-9]{0,15}$/;

const DOCS = {
  projectId:
    'The project whose MTs the route carries; absent or null: every project (a project’s own route wins over a global one of the same prefix length)',
  prefix:
    "Leading E.164 digits of the destination, without + (4477); '' matches every destination. The longest matching prefix is tried first",
  price:
    "Cost per segment in the operator's currency, at most 6 decimals; among routes of equal prefix the cheapest is tried first, unpriced ones (null) last",
  connectorIds: 'Connectors to try, in order (failover), 1 to 10 distinct ids (conn_...)',
  enabled: 'false: the route is ignored',
} as const;

/** The field may be left out but, when given, not be null (a column that has no null). */
const AbsentOr = () => ValidateIf((_: object, value: unknown) => value !== undefined);

const ProjectId = () =>
  applyDecorators(
    ApiPropertyOptional({ nullable: true, type: String, pattern: PROJECT_ID.source, description: DOCS.projectId }),
    IsOptional(),
    IsString(),
    Matches(PROJECT_ID, { message: '$property must be a project id (prj_...)' }),
  );

const Prefix = (optional: boolean) =>
  applyDecorators(
    (optional ? ApiPropertyOptional : ApiProperty)({ pattern: PREFIX.source, maxLength: 15, example: '4477', description: DOCS.prefix }),
    ...(optional ? [AbsentOr()] : []),
    IsString(),
    Matches(PREFIX, { message: "$property must be 0 to 15 digits of an E.164 number, without + ('' matches every destination)" }),
  );

/**
 * A finite number with at most 6 decimals (numeric(12,6) stores it as given): the double nearest
 * to its 6-decimal rounding. class-validator's IsNumber maxDecimalPlaces cannot be used: it throws
 * on numbers JavaScript prints in exponent form (1e-7).
 */
function isPrice(value: unknown): boolean {
  return typeof value === 'number' && Number.isFinite(value) && Number(value.toFixed(6)) === value;
}

const Price = () =>
  applyDecorators(
    ApiPropertyOptional({ type: Number, nullable: true, minimum: 0, maximum: MAX_PRICE, example: 0.0045, description: DOCS.price }),
    IsOptional(),
    ValidateBy({
      name: 'isPrice',
      validator: { validate: isPrice, defaultMessage: () => '$property must be a number with at most 6 decimals' },
    }),
    Min(0),
    Max(MAX_PRICE),
  );

const ConnectorIds = (optional: boolean) =>
  applyDecorators(
    (optional ? ApiPropertyOptional : ApiProperty)({
      type: [String],
      minItems: 1,
      maxItems: MAX_ROUTE_CONNECTORS,
      uniqueItems: true,
      example: ['conn_3kT9aQ2xY7bN5mP1cR8dV4wZ'],
      description: DOCS.connectorIds,
    }),
    ...(optional ? [AbsentOr()] : []),
    IsArray(),
    ArrayMinSize(1),
    ArrayMaxSize(MAX_ROUTE_CONNECTORS),
    ArrayUnique(),
    IsString({ each: true }),
  );

const Enabled = () => applyDecorators(ApiPropertyOptional({ default: true, description: DOCS.enabled }), AbsentOr(), IsBoolean());

/** `POST /admin/routes` body. */
export class CreateSmsRouteDto {
  @ProjectId() project_id?: string | null;
  @Prefix(false) prefix!: string;
  @Price() price?: number | null;
  @ConnectorIds(false) connector_ids!: string[];
  @Enabled() enabled?: boolean;
}

/** `PATCH /admin/routes/{id}` body: the fields to change; a field left out keeps its value, null clears project_id or price. */
export class UpdateSmsRouteDto {
  @ProjectId() project_id?: string | null;
  @Prefix(true) prefix?: string;
  @Price() price?: number | null;
  @ConnectorIds(true) connector_ids?: string[];
  @Enabled() enabled?: boolean;
}

/** `GET /admin/routes` query. */
export class ListSmsRoutesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    pattern: PROJECT_ID.source,
    description: "Only the project's own routes (absent: every route, global ones included)",
  })
  @IsOptional()
  @Matches(PROJECT_ID, { message: 'project_id must be a project id (prj_...)' })
  project_id?: string;
}

/** An SMS route. */
export class SmsRouteDto {
  @ApiProperty({ example: 'rte_3kT9aQ2xY7bN5mP1cR8dV4wZ' }) id!: string;
  @ApiProperty({ nullable: true, type: String, description: 'null: every project' }) project_id!: string | null;
  @ApiProperty({ description: DOCS.prefix }) prefix!: string;
  @ApiProperty({ nullable: true, type: Number, description: DOCS.price }) price!: number | null;
  @ApiProperty({ type: [String], description: DOCS.connectorIds }) connector_ids!: string[];
  @ApiProperty({ description: DOCS.enabled }) enabled!: boolean;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
  @ApiProperty({ format: 'date-time' }) updated_at!: string;
}

/** A page of routes, newest first; pass `next_cursor` as `cursor` for the next page. */
export class SmsRoutePageDto {
  @ApiProperty({ type: [SmsRouteDto] }) data!: SmsRouteDto[];
  @ApiProperty({ nullable: true, type: String }) next_cursor!: string | null;
}
