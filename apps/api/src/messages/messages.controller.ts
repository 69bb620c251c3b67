import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import { RouteSchema } from '@nestjs/platform-fastify';
import { ApiBearerAuth, ApiBody, ApiHeader, ApiOkResponse, ApiCreatedResponse, ApiForbiddenResponse, ApiTags } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ProjectAuthGuard } from '../auth/project-auth.guard';
import { ApiRateLimited } from '../rate-limit/openapi';
import { RateLimitGuard } from '../rate-limit/rate-limit.guard';
import { idempotencyKeyHeader } from '../idempotency/idempotency';
import { CurrentProject } from '../auth/current-project.decorator';
import { CreateMessageBody, CreateMessageRequest } from './dto/create-message.dto';
import { ListMessagesQueryDto } from './dto/list-messages.dto';
import { MessageDto, MessagePageDto, MessageWithTimelineDto } from './dto/message.dto';
import { CreateMessageUseCase } from './create-message.usecase';
import { MessagesQuery } from './messages.query';

/** SMS: send (MT) and read messages of the authenticated project. */
@ApiTags('messages')
@ApiBearerAuth()
@ApiRateLimited()
@UseGuards(ProjectAuthGuard, RateLimitGuard)
@Controller('v1/messages')
export class MessagesController {
  constructor(
    private readonly createMessage: CreateMessageUseCase,
    private readonly query: MessagesQuery,
  ) {}

  @Post()
  @HttpCode(201)
  @RouteSchema({ body: CreateMessageBody })
  // The schema uses only keywords JSON Schema and OpenAPI 3.0 read alike.
  @ApiBody({ schema: CreateMessageBody as SchemaObject })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Replays the first response for 24 h (Stripe rules)' })
  @ApiCreatedResponse({ type: MessageDto })
  @ApiForbiddenResponse({
    description:
      '`from` is neither a number of this project nor an alphanumeric sender id granted to it (`POST /admin/projects/{id}/sender-ids`), ' +
      'or the JWT lacks the scope messages:send: `forbidden` naming `from` or the scope',
  })
  async create(
    @CurrentProject() projectId: string,
    @Body() body: CreateMessageRequest,
    @Headers('idempotency-key') key: string | undefined,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<unknown> {
    const result = await this.createMessage.execute({
      projectId,
      request: body,
      idempotencyKey: idempotencyKeyHeader(key),
      correlationId: req.id,
    });
    res.status(result.status);
    if (result.replayed) res.header('Idempotent-Replayed', 'true');
    return result.body;
  }

  @Get()
  @ApiOkResponse({ type: MessagePageDto })
  list(@CurrentProject() projectId: string, @Query() q: ListMessagesQueryDto): Promise<MessagePageDto> {
    return this.query.list(projectId, q);
  }

  @Get(':messageId')
  @ApiOkResponse({ type: MessageWithTimelineDto })
  get(@CurrentProject() projectId: string, @Param('messageId') id: string): Promise<MessageWithTimelineDto> {
    return this.query.get(projectId, id);
  }
}
