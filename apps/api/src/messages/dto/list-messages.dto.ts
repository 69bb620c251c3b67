import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

/** `GET /v1/messages` query: filters combine with AND; times are ISO-8601, `date_from` inclusive, `date_to` exclusive. */
export class ListMessagesQueryDto {
  @ApiPropertyOptional({ enum: ['queued', 'sending', 'sent', 'delivered', 'undelivered', 'failed', 'received'] })
  @IsOptional()
  @IsIn(['queued', 'sending', 'sent', 'delivered', 'undelivered', 'failed', 'received'])
  status?: string;

  @ApiPropertyOptional({ enum: ['outbound', 'inbound'] })
  @IsOptional()
  @IsIn(['outbound', 'inbound'])
  direction?: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(16) to?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(16) from?: string;

  @ApiPropertyOptional({ format: 'date-time' }) @IsOptional() @IsISO8601({ strict: true }) date_from?: string;
  @ApiPropertyOptional({ format: 'date-time' }) @IsOptional() @IsISO8601({ strict: true }) date_to?: string;

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
