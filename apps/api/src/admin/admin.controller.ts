import { Body, Controller, Get, HttpCode, Param, Post, Put, UseGuards } from '@nestjs/common';
import { RouteSchema } from '@nestjs/platform-fastify';
import { ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { Actor } from '../audit/actor.decorator';
import type { AuditContext } from '../audit/audit-log.repository';
import { OperatorGuard } from '../auth/operator.guard';
import { overridesOf, RATE_LIMIT_CACHE_TTL_MS, RateLimitPolicies } from '../rate-limit/policies';
import { AdminUseCases } from './admin.usecases';
import { AddNumberDto, CreatedProjectDto, CreateProjectDto, PhoneNumberDto } from './dto/admin.dto';
import { EffectiveRateLimitsDto, RateLimitsDto } from './dto/rate-limits.dto';

/** Operator routes, guarded by `X-Operator-Secret`. */
@ApiTags('admin')
@ApiSecurity('operator')
@UseGuards(OperatorGuard)
@Controller('admin/projects')
export class AdminController {
  constructor(
    private readonly admin: AdminUseCases,
    private readonly rateLimits: RateLimitPolicies,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiCreatedResponse({ type: CreatedProjectDto })
  createProject(@Actor() ctx: AuditContext, @Body() dto: CreateProjectDto): Promise<CreatedProjectDto> {
    return this.admin.createProject(ctx, dto);
  }

  @Post(':projectId/numbers')
  @HttpCode(201)
  @ApiCreatedResponse({ type: PhoneNumberDto })
  @ApiConflictResponse({ description: 'Another project has the number: `conflict` naming `e164`' })
  addNumber(@Actor() ctx: AuditContext, @Param('projectId') projectId: string, @Body() dto: AddNumberDto): Promise<PhoneNumberDto> {
    return this.admin.addNumber(ctx, projectId, dto);
  }

  @Get(':projectId/rate-limits')
  @ApiOkResponse({ type: EffectiveRateLimitsDto })
  getRateLimits(@Param('projectId') projectId: string): Promise<EffectiveRateLimitsDto> {
    return this.rateLimits.effective(projectId);
  }

  @Put(':projectId/rate-limits')
  @HttpCode(200)
  // A missing body is refused rather than read as {}, which would reset every limit.
  @RouteSchema({ body: { type: 'object' } })
  @ApiOperation({
    summary: "Sets the project's rate limits",
    description:
      'Replaces the classes the project sets: those in the body take its limits, the others the defaults ({} returns all to the defaults). ' +
      `Applies at once on the api process answering, within ${RATE_LIMIT_CACHE_TTL_MS / 1000} s on the others. Answers the effective limit of every class.`,
  })
  @ApiOkResponse({ type: EffectiveRateLimitsDto })
  setRateLimits(
    @Actor() ctx: AuditContext,
    @Param('projectId') projectId: string,
    @Body() dto: RateLimitsDto,
  ): Promise<EffectiveRateLimitsDto> {
    return this.rateLimits.replace(ctx, projectId, overridesOf(dto));
  }
}
