import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { Actor } from '../audit/actor.decorator';
import type { AuditContext } from '../audit/audit-log.repository';
import { OperatorGuard } from '../auth/operator.guard';
import { PageQueryDto } from '../common/list-query.dto';
import { ApiKeysUseCases } from './api-keys.usecases';
import {
  ApiKeyDto,
  ApiKeyPageDto,
  CreateApiKeyDto,
  CreatedApiKeyDto,
  RotateDto,
  RotatedApiKeyDto,
  RotatedWebhookSecretDto,
} from './dto/api-keys.dto';

/** Operator routes for a project's credentials: API keys and the webhook signing secret. */
@ApiTags('admin')
@ApiSecurity('operator')
@UseGuards(OperatorGuard)
@Controller('admin/projects/:projectId')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysUseCases) {}

  @Get('api-keys')
  @ApiOperation({ summary: "Lists the project's API keys, newest first (never the keys themselves)" })
  @ApiOkResponse({ type: ApiKeyPageDto })
  list(@Param('projectId') projectId: string, @Query() q: PageQueryDto): Promise<ApiKeyPageDto> {
    return this.keys.list(projectId, q.limit ?? 20, q.cursor);
  }

  @Post('api-keys')
  @HttpCode(201)
  @ApiOperation({ summary: 'Issues an API key, optionally limited to scopes and with an expiry' })
  @ApiCreatedResponse({ type: CreatedApiKeyDto })
  create(@Actor() ctx: AuditContext, @Param('projectId') projectId: string, @Body() dto: CreateApiKeyDto): Promise<CreatedApiKeyDto> {
    return this.keys.create(ctx, projectId, dto);
  }

  @Delete('api-keys/:keyId')
  @ApiOperation({ summary: 'Revokes an API key: every api process refuses it from the next request on' })
  @ApiOkResponse({ type: ApiKeyDto })
  revoke(@Actor() ctx: AuditContext, @Param('projectId') projectId: string, @Param('keyId') keyId: string): Promise<ApiKeyDto> {
    return this.keys.revoke(ctx, projectId, keyId);
  }

  @Post('api-keys/:keyId/rotate')
  @HttpCode(201)
  @ApiOperation({ summary: 'Issues a successor key; the old one keeps working for overlap_s seconds, then expires' })
  @ApiCreatedResponse({ type: RotatedApiKeyDto })
  @ApiConflictResponse({ description: 'The key is revoked or expired (a rotated key expires at the end of its overlap)' })
  rotate(
    @Actor() ctx: AuditContext,
    @Param('projectId') projectId: string,
    @Param('keyId') keyId: string,
    @Body() dto: RotateDto,
  ): Promise<RotatedApiKeyDto> {
    return this.keys.rotate(ctx, projectId, keyId, dto.overlap_s);
  }

  @Post('webhook-secret/rotate')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Replaces the webhook signing secret',
    description:
      'Until previous_expires_at every callback carries two `v1,` signatures (new and previous secret), so receivers can switch over.',
  })
  @ApiCreatedResponse({ type: RotatedWebhookSecretDto })
  rotateWebhookSecret(
    @Actor() ctx: AuditContext,
    @Param('projectId') projectId: string,
    @Body() dto: RotateDto,
  ): Promise<RotatedWebhookSecretDto> {
    return this.keys.rotateWebhookSecret(ctx, projectId, dto.overlap_s);
  }
}
