import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsObject, IsOptional, Max, Min, ValidateNested } from 'class-validator';
import type { RateLimitClass } from '../../rate-limit/classes';

/** Largest quota (requests per window) a limit may have. */
const MAX_QUOTA = 1_000_000_000;
/** Longest window, seconds (one day). */
const MAX_WINDOW_S = 86_400;

/** One endpoint class's limit: requests per `window_s` seconds (a fixed window, all of it usable at once). */
export class RateLimitDto {
  @ApiProperty({ description: 'Requests per window for one credential (an API key, or a JWT subject)', minimum: 1, maximum: MAX_QUOTA })
  @IsInt()
  @Min(1)
  @Max(MAX_QUOTA)
  per_key!: number;

  @ApiProperty({ description: 'Requests per window for the whole project, all its credentials together', minimum: 1, maximum: MAX_QUOTA })
  @IsInt()
  @Min(1)
  @Max(MAX_QUOTA)
  per_project!: number;

  @ApiProperty({ description: 'Window, seconds', minimum: 1, maximum: MAX_WINDOW_S, example: 1 })
  @IsInt()
  @Min(1)
  @Max(MAX_WINDOW_S)
  window_s!: number;
}

/** The routes of each class, as the OpenAPI document describes them (rateLimitClassOf decides). */
const ROUTES: Record<RateLimitClass, string> = {
  'messages:send': 'POST /v1/messages',
  'messages:read': 'GET /v1/messages, GET /v1/messages/{id}',
  'calls:write': 'POST /v1/calls, POST /v1/calls/{id}/hangup',
  'calls:read': 'GET /v1/calls, its calls and their recordings',
  flows: 'every /v1/flows route but the public schema',
  'usage:read': 'GET /v1/usage',
  numbers: 'every /v1/numbers route',
  'opt-outs': 'every /v1/opt-outs route',
};
const limitOf = (cls: RateLimitClass) => ({ type: RateLimitDto, description: ROUTES[cls] });

/** A class's limit in a body: absent or null (the default), else a whole RateLimitDto. */
const OptionalLimit = (cls: RateLimitClass) =>
  applyDecorators(
    ApiPropertyOptional(limitOf(cls)),
    IsOptional(),
    IsObject(),
    ValidateNested(),
    Type(() => RateLimitDto),
  );

/**
 * Rate limits by endpoint class, as a `PUT /admin/projects/{id}/rate-limits` body (and in the
 * RATE_LIMITS variable): the classes to set, the others keeping the defaults.
 */
export class RateLimitsDto {
  @OptionalLimit('messages:send') 'messages:send'?: RateLimitDto;
  @OptionalLimit('messages:read') 'messages:read'?: RateLimitDto;
  @OptionalLimit('calls:write') 'calls:write'?: RateLimitDto;
  @OptionalLimit('calls:read') 'calls:read'?: RateLimitDto;
  @OptionalLimit('flows') flows?: RateLimitDto;
  @OptionalLimit('usage:read') 'usage:read'?: RateLimitDto;
  @OptionalLimit('numbers') numbers?: RateLimitDto;
  @OptionalLimit('opt-outs') 'opt-outs'?: RateLimitDto;
}

/** Every endpoint class's effective limit for a project: the operator's, else the default. */
export class EffectiveRateLimitsDto {
  @ApiProperty(limitOf('messages:send')) 'messages:send'!: RateLimitDto;
  @ApiProperty(limitOf('messages:read')) 'messages:read'!: RateLimitDto;
  @ApiProperty(limitOf('calls:write')) 'calls:write'!: RateLimitDto;
  @ApiProperty(limitOf('calls:read')) 'calls:read'!: RateLimitDto;
  @ApiProperty(limitOf('flows')) flows!: RateLimitDto;
  @ApiProperty(limitOf('usage:read')) 'usage:read'!: RateLimitDto;
  @ApiProperty(limitOf('numbers')) numbers!: RateLimitDto;
  @ApiProperty(limitOf('opt-outs')) 'opt-outs'!: RateLimitDto;
}
