import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { SCOPES } from '../../auth/scopes';
import { DATE_FILTER_PATTERN, IsDateFilter } from '../../common/validators';

/** Longest overlap of a key or webhook secret rotation: 30 days, in seconds. */
export const MAX_OVERLAP_S = 30 * 24 * 3600;

/** `POST /admin/projects/{id}/api-keys` body (optional: `{}` gives a key with every scope that never expires). */
export class CreateApiKeyDto {
  @ApiPropertyOptional({ maxLength: 100, description: 'A label for people, e.g. "billing service"' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  name?: string;

  @ApiPropertyOptional({ enum: SCOPES, isArray: true, description: 'Scopes the key grants; absent: every scope' })
  @IsOptional()
  @ArrayMinSize(1)
  @ArrayMaxSize(SCOPES.length)
  @ArrayUnique()
  @IsIn(SCOPES, { each: true })
  scopes?: string[];

  @ApiPropertyOptional({ description: 'When the key stops working (RFC 3339, in the future); absent: never', pattern: DATE_FILTER_PATTERN })
  @IsOptional()
  @IsDateFilter()
  expires_at?: string;
}

/** Body of a rotation (API key or webhook secret). */
export class RotateDto {
  @ApiPropertyOptional({
    minimum: 0,
    maximum: MAX_OVERLAP_S,
    default: 86400,
    description: 'Seconds the old key (or secret) keeps working next to the new one',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_OVERLAP_S)
  overlap_s?: number;
}

/** An API key as listed: never the key nor its hash. */
export class ApiKeyDto {
  @ApiProperty({ example: 'key_3kT9...' }) id!: string;
  @ApiProperty({ description: 'The 8 characters after gw_live_ in the key, to recognise it' }) prefix!: string;
  @ApiProperty({ nullable: true, type: String }) name!: string | null;
  @ApiProperty({ nullable: true, enum: SCOPES, isArray: true, description: 'null: every scope' }) scopes!: string[] | null;
  @ApiProperty({ enum: ['active', 'expired', 'revoked'] }) status!: 'active' | 'expired' | 'revoked';
  @ApiProperty({ format: 'date-time' }) created_at!: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) expires_at!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) revoked_at!: string | null;
}

/** A newly issued key: `api_key` is shown only here. */
export class CreatedApiKeyDto extends ApiKeyDto {
  @ApiProperty({ description: 'Bearer API key; store it now, only its hash is kept' }) api_key!: string;
}

export class ApiKeyPageDto {
  @ApiProperty({ type: [ApiKeyDto] }) data!: ApiKeyDto[];
  @ApiProperty({ nullable: true, type: String }) next_cursor!: string | null;
}

/** Answer of a key rotation: the new key, and the old one with the end of its overlap as `expires_at`. */
export class RotatedApiKeyDto {
  @ApiProperty({ type: CreatedApiKeyDto }) key!: CreatedApiKeyDto;
  @ApiProperty({ type: ApiKeyDto }) previous!: ApiKeyDto;
}

/** Answer of a webhook secret rotation. */
export class RotatedWebhookSecretDto {
  @ApiProperty({ description: 'The new Standard Webhooks secret (whsec_...); shown only here' }) webhook_secret!: string;
  @ApiProperty({ format: 'date-time', description: 'Until then callbacks carry a signature with the previous secret too' })
  previous_expires_at!: string;
}
