import { Body, Controller, Get, HttpCode, Param, Put, UseGuards } from '@nestjs/common';
import { RouteSchema } from '@nestjs/platform-fastify';
import { ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { Actor } from '../audit/actor.decorator';
import type { AuditContext } from '../audit/audit-log.repository';
import { OperatorGuard } from '../auth/operator.guard';
import { RetentionDto, RetentionSettingsDto } from './dto/retention.dto';
import { PrivacyUseCases } from './privacy.usecases';

/** Operator routes of a project's personal-data retention, guarded by `X-Operator-Secret`. */
@ApiTags('admin')
@ApiSecurity('operator')
@UseGuards(OperatorGuard)
@Controller('admin/projects/:projectId/retention')
export class RetentionController {
  constructor(private readonly privacy: PrivacyUseCases) {}

  @Get()
  @ApiOperation({ summary: "Reads the project's retention periods (null: kept forever, the default)" })
  @ApiOkResponse({ type: RetentionSettingsDto })
  get(@Param('projectId') projectId: string): Promise<RetentionSettingsDto> {
    return this.privacy.retention(projectId);
  }

  @Put()
  @HttpCode(200)
  // A missing body is refused rather than read as {}, which would keep everything forever.
  @RouteSchema({ body: { type: 'object' } })
  @ApiOperation({
    summary: "Sets the project's retention periods",
    description:
      'Replaces all three periods: one absent or null keeps that data forever. The workers apply them on their next retention sweep ' +
      '(RETENTION_SWEEP_INTERVAL_MS), counting from when each message, call or recording was created. MTs still waiting to be sent ' +
      'when their body is due are failed (error_code body_expired) rather than sent empty.',
  })
  @ApiOkResponse({ type: RetentionSettingsDto })
  set(@Actor() ctx: AuditContext, @Param('projectId') projectId: string, @Body() dto: RetentionDto): Promise<RetentionSettingsDto> {
    return this.privacy.setRetention(ctx, projectId, dto);
  }
}
