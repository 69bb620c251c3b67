import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { RouteSchema } from '@nestjs/platform-fastify';
import { ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { Actor } from '../../audit/actor.decorator';
import type { AuditContext } from '../../audit/audit-log.repository';
import { OperatorGuard } from '../../auth/operator.guard';
import { DEAD_LETTER_QUEUES } from './dead-letter-queues';
import { DeadLettersUseCases } from './dead-letters.usecases';
import {
  DeadLetterDetailDto,
  DeadLetterPageDto,
  DeadLetterQueryDto,
  DeadLetterSelectionDto,
  PurgeResultDto,
  ReplayResultDto,
} from './dto/dead-letters.dto';

const QUEUE_PARAM = {
  name: 'queue',
  enum: Object.keys(DEAD_LETTER_QUEUES),
  description: 'sms-submit (MT submissions, id = message id) or callbacks (project callbacks, id = outbox event id); any other: 404',
};
const UNKNOWN_QUEUE = 'No such dead-letter queue: `not_found` naming it';

/** Operator routes of the BullMQ dead-letter queues (`<queue>.dlq`), guarded by `X-Operator-Secret`. */
@ApiTags('admin')
@ApiSecurity('operator')
@UseGuards(OperatorGuard)
@Controller('admin/dead-letters/:queue')
export class DeadLettersController {
  constructor(private readonly deadLetters: DeadLettersUseCases) {}

  @Get()
  @ApiParam(QUEUE_PARAM)
  @ApiOperation({
    summary: 'Lists dead letters, newest first',
    description:
      'The cursor is a position in the dead-letter queue: dead letters arriving or leaving between pages shift it, so a page may repeat or skip one. ' +
      'A filtered page scans at most 5000 dead letters and may hold fewer than `limit` with a `next_cursor`.',
  })
  @ApiOkResponse({ type: DeadLetterPageDto })
  @ApiNotFoundResponse({ description: UNKNOWN_QUEUE })
  list(@Param('queue') queue: string, @Query() q: DeadLetterQueryDto): Promise<DeadLetterPageDto> {
    return this.deadLetters.list(queue, q);
  }

  @Get('entries/:deadLetterId')
  @ApiParam(QUEUE_PARAM)
  @ApiOperation({ summary: 'Reads a dead letter with its attempt history, as far as BullMQ keeps it' })
  @ApiOkResponse({ type: DeadLetterDetailDto })
  @ApiNotFoundResponse({ description: 'No such dead-letter queue or dead letter: `not_found`' })
  get(@Param('queue') queue: string, @Param('deadLetterId') id: string): Promise<DeadLetterDetailDto> {
    return this.deadLetters.get(queue, id);
  }

  @Post('replay')
  @HttpCode(200)
  @RouteSchema({ body: { type: 'object' } })
  @ApiParam(QUEUE_PARAM)
  @ApiOperation({
    summary: 'Replays dead letters on their queue under the same job id and removes them from the dead-letter queue',
    description:
      'Idempotency holds: a callback is dispatched at most once more; a submission whose message a carrier already took is not submitted again. ' +
      'A dead-lettered submission left its message `failed`, a final status: replaying a submission whose message is final (or gone) is ' +
      'refused with 409 naming it, and nothing is replayed. Audited as `dead_letters.replayed`.',
  })
  @ApiOkResponse({ type: ReplayResultDto })
  @ApiNotFoundResponse({ description: UNKNOWN_QUEUE })
  @ApiConflictResponse({ description: 'An sms-submit dead letter whose message is final or gone: `conflict` naming `ids`' })
  replay(@Actor() ctx: AuditContext, @Param('queue') queue: string, @Body() dto: DeadLetterSelectionDto): Promise<ReplayResultDto> {
    return this.deadLetters.replay(ctx, queue, dto);
  }

  @Delete()
  @HttpCode(200)
  @RouteSchema({ body: { type: 'object' } })
  @ApiParam(QUEUE_PARAM)
  @ApiOperation({
    summary: 'Purges dead letters',
    description: 'Their original jobs are left as they are. Audited as `dead_letters.purged`.',
  })
  @ApiOkResponse({ type: PurgeResultDto })
  @ApiNotFoundResponse({ description: UNKNOWN_QUEUE })
  purge(@Actor() ctx: AuditContext, @Param('queue') queue: string, @Body() dto: DeadLetterSelectionDto): Promise<PurgeResultDto> {
    return this.deadLetters.purge(ctx, queue, dto);
  }
}
