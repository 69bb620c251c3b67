import { Body, Controller, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { Actor } from '../audit/actor.decorator';
import type { AuditContext } from '../audit/audit-log.repository';
import { OperatorGuard } from '../auth/operator.guard';
import { CreateErasureDto, ErasureDto } from './dto/erasure.dto';
import { PrivacyUseCases } from './privacy.usecases';

/** Operator routes of subscriber erasure, guarded by `X-Operator-Secret`. */
@ApiTags('admin')
@ApiSecurity('operator')
@UseGuards(OperatorGuard)
@Controller('admin/projects/:projectId/erasures')
export class ErasuresController {
  constructor(private readonly privacy: PrivacyUseCases) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({
    summary: "Erases a subscriber's data in the project",
    description:
      'Accepted at once (status pending); the workers then, in batches: redact the bodies of messages to or from the number (failing MTs not ' +
      'yet sent), redact the timelines of its calls and delete their recordings from the store, and replace the number by ' +
      '`erased:<erasure id>` in those rows, in outbox event copies and in stored Idempotency-Key responses. Rows, segments, statuses, ' +
      'durations and usage stay, so billing still adds up; opt-out records of the number stay (the legal record of the opt-out). ' +
      'Covers what the project stored up to the request; copies already delivered (callbacks, Kafka topics until their retention) are not reachable. ' +
      "One of the project's own numbers is refused (400 naming phone).",
  })
  @ApiAcceptedResponse({ type: ErasureDto })
  create(@Actor() ctx: AuditContext, @Param('projectId') projectId: string, @Body() dto: CreateErasureDto): Promise<ErasureDto> {
    return this.privacy.requestErasure(ctx, projectId, dto);
  }

  @Get(':erasureId')
  @ApiOperation({ summary: 'Reads an erasure: status, phase and what it erased so far' })
  @ApiOkResponse({ type: ErasureDto })
  get(@Param('projectId') projectId: string, @Param('erasureId') erasureId: string): Promise<ErasureDto> {
    return this.privacy.erasure(projectId, erasureId);
  }
}
