import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { DATE_FILTER_PATTERN, IsDateFilter } from './validators';
import { ObjectLiteral, SelectQueryBuilder } from 'typeorm';

/** Page size and cursor of every list (newest first, keyset pages: see keysetPage). */
export class PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({ description: 'Opaque cursor from a previous page' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,200}$/, { message: 'cursor is not a cursor this API issued' })
  cursor?: string;
}

/** Filters shared by message and call lists; combined with AND; `date_from` inclusive, `date_to` exclusive (ISO-8601). */
export class ListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['outbound', 'inbound'] })
  @IsOptional()
  @IsIn(['outbound', 'inbound'])
  direction?: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) to?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) from?: string;

  @ApiPropertyOptional({ description: 'Inclusive; a date or an RFC 3339 date-time', pattern: DATE_FILTER_PATTERN })
  @IsOptional()
  @IsDateFilter()
  date_from?: string;

  @ApiPropertyOptional({ description: 'Exclusive; a date or an RFC 3339 date-time', pattern: DATE_FILTER_PATTERN })
  @IsOptional()
  @IsDateFilter()
  date_to?: string;
}

/** Applies the shared filters (and `status`) to a query over a table with direction, to_number, from_number, created_at. */
export function applyListFilters<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  alias: string,
  q: ListQueryDto & { status?: string },
): void {
  if (q.status) qb.andWhere(`${alias}.status = :status`, { status: q.status });
  if (q.direction) qb.andWhere(`${alias}.direction = :direction`, { direction: q.direction });
  if (q.to) qb.andWhere(`${alias}.to_number = :to`, { to: q.to });
  if (q.from) qb.andWhere(`${alias}.from_number = :from`, { from: q.from });
  if (q.date_from) qb.andWhere(`${alias}.created_at >= :dateFrom`, { dateFrom: q.date_from });
  if (q.date_to) qb.andWhere(`${alias}.created_at < :dateTo`, { dateTo: q.date_to });
}
