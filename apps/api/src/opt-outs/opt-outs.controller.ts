import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Res, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Actor } from '../audit/actor.decorator';
import type { AuditContext } from '../audit/audit-log.repository';
import { CurrentProject } from '../auth/current-project.decorator';
import { ProjectAuthGuard } from '../auth/project-auth.guard';
import { ApiRateLimited } from '../rate-limit/openapi';
import { RateLimitGuard } from '../rate-limit/rate-limit.guard';
import { CreateOptOutDto, ListOptOutsQueryDto, OptOutDto, OptOutPageDto } from './dto/opt-out.dto';
import { OptOutsUseCases } from './opt-outs.usecases';

/**
 * The authenticated project's opt-outs: handsets that get no MT from a sender (or from the
 * project), whether they sent STOP or the project added them. `POST /v1/messages` to one is
 * refused with 422 `recipient_opted_out`.
 */
@ApiTags('opt-outs')
@ApiBearerAuth()
@ApiRateLimited()
@UseGuards(ProjectAuthGuard, RateLimitGuard)
@Controller('v1/opt-outs')
export class OptOutsController {
  constructor(private readonly optOuts: OptOutsUseCases) {}

  @Get()
  @ApiOperation({ summary: 'Lists opt-outs, newest first' })
  @ApiOkResponse({ type: OptOutPageDto })
  list(@CurrentProject() projectId: string, @Query() q: ListOptOutsQueryDto): Promise<OptOutPageDto> {
    return this.optOuts.list(projectId, q);
  }

  @Post()
  @ApiOperation({ summary: 'Opts a handset out of a sender, or of every sender of the project (sender null)' })
  @ApiCreatedResponse({ type: OptOutDto, description: 'Opted out' })
  @ApiOkResponse({ type: OptOutDto, description: 'Already opted out: the existing opt-out, unchanged' })
  async create(
    @CurrentProject() projectId: string,
    @Body() dto: CreateOptOutDto,
    @Actor() ctx: AuditContext,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<OptOutDto> {
    const { optOut, created } = await this.optOuts.add(ctx, projectId, dto);
    res.status(created ? 201 : 200);
    return optOut;
  }

  @Delete(':optOutId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Deletes an opt-out: the handset gets MTs again' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiNotFoundResponse({ description: 'No such opt-out in this project' })
  async remove(@CurrentProject() projectId: string, @Param('optOutId') id: string, @Actor() ctx: AuditContext): Promise<void> {
    await this.optOuts.remove(ctx, projectId, id);
  }
}
