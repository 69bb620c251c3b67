import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { RouteSchema } from '@nestjs/platform-fastify';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { KAFKA_DEAD_LETTER_ID } from '@gw/kafka';
import { Actor } from '../../audit/actor.decorator';
import type { AuditContext } from '../../audit/audit-log.repository';
import { OperatorGuard } from '../../auth/operator.guard';
import {
  KafkaDeadLetterDetailDto,
  KafkaDeadLetterPageDto,
  KafkaDeadLetterQueryDto,
  KafkaDeadLetterSelectionDto,
  KafkaPurgeDto,
  KafkaPurgeResultDto,
  KafkaReplayResultDto,
} from './dto/kafka-admin.dto';
import { KAFKA_DEAD_LETTER_TOPICS, KAFKA_ADMIN_TIMEOUT_MS, KafkaAdminUseCases } from './kafka-admin.usecases';

const TOPIC_PARAM = {
  name: 'topic',
  enum: KAFKA_DEAD_LETTER_TOPICS,
  description: 'A dead-letter topic, `<event topic>.dlq`; any other: 404',
};
const UNKNOWN_TOPIC = 'No such dead-letter topic: `not_found` naming it';
const KAFKA_DOWN = `Kafka not answering within ${KAFKA_ADMIN_TIMEOUT_MS} ms is a 503 \`service_unavailable\` naming it.`;

/**
 * Operator routes of the Kafka dead-letter topics (`<topic>.dlq`, where the idempotent consumers
 * park events they cannot decode or keep failing on), guarded by `X-Operator-Secret`. Kafka's
 * entries differ from the BullMQ dead letters of `/admin/dead-letters/{queue}` in identity (a place
 * on the topic, not a job id) and in what a purge can remove (a prefix of each partition), so they
 * have their own path, with the same shapes: pages with a cursor, replay by `ids` or `all`.
 */
@ApiTags('admin')
@ApiSecurity('operator')
@UseGuards(OperatorGuard)
@Controller('admin/kafka/dead-letters/:topic')
export class KafkaDeadLettersController {
  constructor(private readonly kafka: KafkaAdminUseCases) {}

  @Get()
  @ApiParam(TOPIC_PARAM)
  @ApiOperation({
    summary: 'Lists the entries of a dead-letter topic not yet replayed, newest first',
    description:
      'Each with its reason (the `error` header), where it was read (original topic, partition, offset), its event id and type, the group ' +
      `that gave up and its attempts. The newest 5000 records of each partition are offered; the cursor is a position in the list, so entries ` +
      'arriving between pages shift it. ' +
      KAFKA_DOWN,
  })
  @ApiOkResponse({ type: KafkaDeadLetterPageDto })
  @ApiNotFoundResponse({ description: UNKNOWN_TOPIC })
  list(@Param('topic') topic: string, @Query() q: KafkaDeadLetterQueryDto): Promise<KafkaDeadLetterPageDto> {
    return this.kafka.list(topic, q);
  }

  @Get('entries/:entryId')
  @ApiParam(TOPIC_PARAM)
  @ApiParam({ name: 'entryId', schema: { type: 'string', pattern: KAFKA_DEAD_LETTER_ID.source, example: '3-17' } })
  @ApiOperation({ summary: 'Reads one entry with its record value (the envelope)', description: KAFKA_DOWN })
  @ApiOkResponse({ type: KafkaDeadLetterDetailDto })
  @ApiNotFoundResponse({ description: 'No such dead-letter topic, or no such entry on offer (absent, replayed or purged): `not_found`' })
  get(@Param('topic') topic: string, @Param('entryId') entryId: string): Promise<KafkaDeadLetterDetailDto> {
    return this.kafka.get(topic, entryId);
  }

  @Post('replay')
  @HttpCode(200)
  @RouteSchema({ body: { type: 'object' } })
  @ApiParam(TOPIC_PARAM)
  @ApiOperation({
    summary: 'Republishes entries to their original topic with the same key and event id; a replayed entry is not offered again',
    description:
      'Every consumer group of the original topic sees the event again and processes it at most once (by event id, or the usage ledger), so ' +
      'only the group that parked it acts on it. Replayed entries are recorded in Postgres (processed_events) with the audit row ' +
      '`kafka_dead_letters.replayed`; one that fails again is parked anew as a new entry. ' +
      KAFKA_DOWN,
  })
  @ApiOkResponse({ type: KafkaReplayResultDto })
  @ApiNotFoundResponse({ description: UNKNOWN_TOPIC })
  replay(
    @Actor() ctx: AuditContext,
    @Param('topic') topic: string,
    @Body() dto: KafkaDeadLetterSelectionDto,
  ): Promise<KafkaReplayResultDto> {
    return this.kafka.replay(ctx, topic, dto);
  }

  @Delete()
  @HttpCode(200)
  @RouteSchema({ body: { type: 'object' } })
  @ApiParam(TOPIC_PARAM)
  @ApiOperation({
    summary: 'Purges records of a dead-letter topic (Kafka DeleteRecords): all, or per partition those before an offset',
    description: `Kafka deletes a prefix of each partition, replayed or not. Audited as \`kafka_dead_letters.purged\`. ${KAFKA_DOWN}`,
  })
  @ApiOkResponse({ type: KafkaPurgeResultDto })
  @ApiNotFoundResponse({ description: UNKNOWN_TOPIC })
  purge(@Actor() ctx: AuditContext, @Param('topic') topic: string, @Body() dto: KafkaPurgeDto): Promise<KafkaPurgeResultDto> {
    return this.kafka.purge(ctx, topic, dto);
  }
}
