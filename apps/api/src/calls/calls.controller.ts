import { Body, Controller, Get, Headers, HttpCode, Inject, Param, Post, Query, Req, Res, StreamableFile, UseGuards } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiForbiddenResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '@gw/errors';
import { RecordingNotFoundError, RecordingStore } from '@gw/recordings';
import { ProjectAuthGuard } from '../auth/project-auth.guard';
import { ApiRateLimited } from '../rate-limit/openapi';
import { RateLimitGuard } from '../rate-limit/rate-limit.guard';
import { CurrentProject } from '../auth/current-project.decorator';
import { idempotencyKeyHeader } from '../idempotency/idempotency';
import { CALL_STATE_MACHINE_DTO } from './call.mapper';
import {
  CallDto,
  CallPageDto,
  CallStateMachineDto,
  CallStateMachineQueryDto,
  CallWithTimelineDto,
  CreateCallDto,
  ListCallsQueryDto,
} from './dto/call.dto';
import { CallsQuery } from './calls.query';
import { CallsUseCases } from './calls.usecases';

/** Injection token of the recording store the api reads recordings from. */
export const RECORDING_STORE = Symbol('RECORDING_STORE');

/**
 * Mermaid text is wanted with `?format=mermaid`, or without `format` when Accept takes text/plain
 * and not JSON (so `*\/*` and browsers get JSON).
 */
function wantsMermaid(format: string | undefined, accept: string | undefined): boolean {
  if (format) return format === 'mermaid';
  return /\btext\/plain\b/.test(accept ?? '') && !/\bapplication\/json\b/.test(accept ?? '');
}

/**
 * The call status machine. Public like the flow schema: it is the same for every project and shows
 * no project data, so docs and tools can read it without a key.
 */
@ApiTags('calls')
@Controller('v1/calls/state-machine')
export class CallStateMachineController {
  @Get()
  @ApiExtraModels(CallStateMachineDto)
  @ApiOkResponse({
    description: 'The status graph, generated from the table that decides every status change; as text/plain only the Mermaid text',
    content: {
      'application/json': { schema: { $ref: getSchemaPath(CallStateMachineDto) } },
      'text/plain': { schema: { type: 'string', example: 'stateDiagram-v2\n  queued --> initiated : ari.originate\n' } },
    },
  })
  stateMachine(
    @Query() q: CallStateMachineQueryDto,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) res: FastifyReply,
  ): CallStateMachineDto | string {
    if (!wantsMermaid(q.format, accept)) return CALL_STATE_MACHINE_DTO;
    res.type('text/plain; charset=utf-8');
    return CALL_STATE_MACHINE_DTO.mermaid;
  }
}

/** Voice calls of the authenticated project. */
@ApiTags('calls')
@ApiBearerAuth()
@ApiRateLimited()
@UseGuards(ProjectAuthGuard, RateLimitGuard)
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
  @ApiForbiddenResponse({
    description: '`from` is not a number of this project, or the JWT lacks the scope calls:write: `forbidden` naming `from` or the scope',
  })
  @ApiNotFoundResponse({ description: '`flow_id` (or its `flow_version`) names no flow of this project: `not_found` naming the field' })
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
  @ApiAcceptedResponse({ type: CallDto, description: 'The hangup is on its way to the orchestrator; the call as it is now' })
  @ApiConflictResponse({ description: 'The call has already ended: `conflict`' })
  hangup(@CurrentProject() projectId: string, @Param('callId') callId: string, @Req() req: FastifyRequest): Promise<CallDto> {
    return this.calls.hangup(projectId, callId, req.id);
  }

  @Get(':callId/recordings/:recordingId')
  @ApiOkResponse({ description: 'The recording (WAV)', content: { 'audio/wav': { schema: { type: 'string', format: 'binary' } } } })
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
