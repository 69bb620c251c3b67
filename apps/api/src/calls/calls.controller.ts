import { Body, Controller, Get, Headers, HttpCode, Inject, Param, Post, Query, Req, Res, StreamableFile, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '@gw/errors';
import { RecordingNotFoundError, RecordingStore } from '@gw/recordings';
import { ApiKeyGuard } from '../auth/api-key.guard';
import { CurrentProject } from '../auth/current-project.decorator';
import { idempotencyKeyHeader } from '../idempotency/idempotency';
import { CallDto, CallPageDto, CallWithTimelineDto, CreateCallDto, ListCallsQueryDto } from './dto/call.dto';
import { CallsQuery } from './calls.query';
import { CallsUseCases } from './calls.usecases';

/** Injection token of the recording store the api reads recordings from. */
export const RECORDING_STORE = Symbol('RECORDING_STORE');

/** Voice calls of the authenticated project. */
@ApiTags('calls')
@ApiBearerAuth()
@UseGuards(ApiKeyGuard)
@Controller('v1/calls')
export class CallsController {
  constructor(
    private readonly calls: CallsUseCases,
    private readonly query: CallsQuery,
    @Inject(RECORDING_STORE) private readonly store: RecordingStore,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Replays the first response for 24 h (Stripe rules)' })
  @ApiCreatedResponse({ type: CallDto })
  async create(
    @CurrentProject() projectId: string,
    @Body() dto: CreateCallDto,
    @Headers('idempotency-key') key: string | undefined,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<unknown> {
    const result = await this.calls.create(projectId, dto, idempotencyKeyHeader(key), req.id);
    res.status(result.status);
    if (result.replayed) res.header('Idempotent-Replayed', 'true');
    return result.body;
  }

  @Get()
  @ApiOkResponse({ type: CallPageDto })
  list(@CurrentProject() projectId: string, @Query() q: ListCallsQueryDto): Promise<CallPageDto> {
    return this.query.list(projectId, q);
  }

  @Get(':callId')
  @ApiOkResponse({ type: CallWithTimelineDto })
  get(@CurrentProject() projectId: string, @Param('callId') callId: string): Promise<CallWithTimelineDto> {
    return this.query.get(projectId, callId);
  }

  @Post(':callId/hangup')
  @HttpCode(202)
  @ApiOkResponse({ type: CallDto })
  hangup(@CurrentProject() projectId: string, @Param('callId') callId: string, @Req() req: FastifyRequest): Promise<CallDto> {
    return this.calls.hangup(projectId, callId, req.id);
  }

  @Get(':callId/recordings/:recordingId')
  @ApiProduces('audio/wav')
  async recording(
    @CurrentProject() projectId: string,
    @Param('callId') callId: string,
    @Param('recordingId') recordingId: string,
  ): Promise<StreamableFile> {
    const rec = await this.query.recording(projectId, callId, recordingId);
    try {
      const { stream, size } = await this.store.get(rec.storageKey);
      return new StreamableFile(stream, { type: rec.contentType, length: size });
    } catch (err) {
      if (err instanceof RecordingNotFoundError) throw DomainError.notFound('recording file');
      throw err;
    }
  }
}
