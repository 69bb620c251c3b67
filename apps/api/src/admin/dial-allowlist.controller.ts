import { Body, Controller, Get, HttpCode, Param, Put, UseGuards } from '@nestjs/common';
import { RouteSchema } from '@nestjs/platform-fastify';
import { ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { Actor } from '../audit/actor.decorator';
import type { AuditContext } from '../audit/audit-log.repository';
import { OperatorGuard } from '../auth/operator.guard';
import { DialAllowlistUseCases } from './dial-allowlist.usecases';
import { DialAllowlistDto, SetDialAllowlistDto } from './dto/dial-allowlist.dto';

/** Operator routes of a project's dial allowlist, guarded by `X-Operator-Secret`. */
@ApiTags('admin')
@ApiSecurity('operator')
@UseGuards(OperatorGuard)
@Controller('admin/projects/:projectId/dial-allowlist')
export class DialAllowlistController {
  constructor(private readonly allowlists: DialAllowlistUseCases) {}

  @Get()
  @ApiOperation({
    summary: "Reads the project's dial allowlist",
    description: 'Unset (set: false, the default): any E.164 number may be dialled, no SIP URI and no PJSIP endpoint.',
  })
  @ApiOkResponse({ type: DialAllowlistDto })
  get(@Param('projectId') projectId: string): Promise<DialAllowlistDto> {
    return this.allowlists.get(projectId);
  }

  @Put()
  @HttpCode(200)
  // A missing body is refused rather than read as {}, which would allow no dial target at all.
  @RouteSchema({ body: { type: 'object' } })
  @ApiOperation({
    summary: "Sets the project's dial allowlist",
    description:
      'Replaces the allowlist: each list allows exactly what it names (absent or empty: nothing of its kind). Flows whose static dial ' +
      'targets fall outside it are refused when created (400 naming the step field); every dial is checked again when the call ' +
      'reaches it, so the change also applies to flows accepted before (the dial fails, with the reason in the call timeline).',
  })
  @ApiOkResponse({ type: DialAllowlistDto })
  set(@Actor() ctx: AuditContext, @Param('projectId') projectId: string, @Body() dto: SetDialAllowlistDto): Promise<DialAllowlistDto> {
    return this.allowlists.set(ctx, projectId, dto);
  }
}
