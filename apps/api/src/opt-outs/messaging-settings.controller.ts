import { Body, Controller, Get, HttpCode, Param, Put, UseGuards } from '@nestjs/common';
import { RouteSchema } from '@nestjs/platform-fastify';
import { ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { Actor } from '../audit/actor.decorator';
import type { AuditContext } from '../audit/audit-log.repository';
import { OperatorGuard } from '../auth/operator.guard';
import { EffectiveMessagingSettingsDto, MessagingSettingsDto } from './dto/messaging-settings.dto';
import { OptOutsUseCases } from './opt-outs.usecases';

/** Operator routes: a project's SMS keyword settings (opt-out scope, HELP text, STOP/START confirmations). */
@ApiTags('admin')
@ApiSecurity('operator')
@UseGuards(OperatorGuard)
@Controller('admin/projects/:projectId/messaging-settings')
export class MessagingSettingsController {
  constructor(private readonly optOuts: OptOutsUseCases) {}

  @Get()
  @ApiOkResponse({ type: EffectiveMessagingSettingsDto })
  get(@Param('projectId') projectId: string): Promise<EffectiveMessagingSettingsDto> {
    return this.optOuts.getSettings(projectId);
  }

  @Put()
  @HttpCode(200)
  // A missing body is refused rather than read as {}, which would reset every setting.
  @RouteSchema({ body: { type: 'object' } })
  @ApiOperation({
    summary: "Sets the project's messaging settings",
    description: 'Replaces every setting: those absent from the body take the defaults ({} returns all to them). Applies to the next MO.',
  })
  @ApiOkResponse({ type: EffectiveMessagingSettingsDto })
  put(
    @Param('projectId') projectId: string,
    @Body() dto: MessagingSettingsDto,
    @Actor() ctx: AuditContext,
  ): Promise<EffectiveMessagingSettingsDto> {
    return this.optOuts.putSettings(ctx, projectId, dto);
  }
}
