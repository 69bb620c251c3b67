import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Query, UseGuards } from '@nestjs/common';
import { RouteSchema } from '@nestjs/platform-fastify';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor } from '../audit/actor.decorator';
import type { AuditContext } from '../audit/audit-log.repository';
import { CurrentProject } from '../auth/current-project.decorator';
import { ProjectAuthGuard } from '../auth/project-auth.guard';
import { ApiRateLimited } from '../rate-limit/openapi';
import { RateLimitGuard } from '../rate-limit/rate-limit.guard';
import { ListNumbersQueryDto, NumberDto, NumberPageDto, UpdateNumberDto } from './dto/number.dto';
import { NumbersUseCases } from './numbers.usecases';

/** The authenticated project's phone numbers (scopes `numbers:read` / `numbers:write`, rate-limit class `numbers`). */
@ApiTags('numbers')
@ApiBearerAuth()
@ApiRateLimited()
@UseGuards(ProjectAuthGuard, RateLimitGuard)
@Controller('v1/numbers')
export class NumbersController {
  constructor(private readonly numbers: NumbersUseCases) {}

  @Get()
  @ApiOkResponse({ type: NumberPageDto })
  list(@CurrentProject() projectId: string, @Query() q: ListNumbersQueryDto): Promise<NumberPageDto> {
    return this.numbers.list(projectId, q);
  }

  @Get(':numberId')
  @ApiOkResponse({ type: NumberDto })
  get(@CurrentProject() projectId: string, @Param('numberId') numberId: string): Promise<NumberDto> {
    return this.numbers.get(projectId, numberId);
  }

  @Patch(':numberId')
  // A missing body is refused rather than read as an empty patch.
  @RouteSchema({ body: { type: 'object' } })
  @ApiOperation({ summary: "Changes the number's routing: the flow answering its calls, the URL receiving its MO SMS" })
  @ApiOkResponse({ type: NumberDto })
  update(
    @Actor() actor: AuditContext,
    @CurrentProject() projectId: string,
    @Param('numberId') numberId: string,
    @Body() dto: UpdateNumberDto,
  ): Promise<NumberDto> {
    return this.numbers.update(actor, projectId, numberId, dto);
  }

  @Delete(':numberId')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Releases the number',
    description:
      'The number no longer belongs to the project: sending SMS or placing calls from it is refused (403), and inbound SMS and ' +
      'calls to it no longer reach the project. Messages and calls keep their numbers.',
  })
  @ApiNoContentResponse({ description: 'Released' })
  release(@Actor() actor: AuditContext, @CurrentProject() projectId: string, @Param('numberId') numberId: string): Promise<void> {
    return this.numbers.release(actor, projectId, numberId);
  }
}
