import { Body, Controller, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { Actor } from '../../audit/actor.decorator';
import type { AuditContext } from '../../audit/audit-log.repository';
import { OperatorGuard } from '../../auth/operator.guard';
import {
  ConsumerGroupDto,
  ConsumerGroupOffsetsDto,
  ConsumerGroupOffsetsResultDto,
  UsageRebuildDto,
  UsageRebuildResultDto,
} from './dto/kafka-admin.dto';
import { KAFKA_ADMIN_TIMEOUT_MS, KafkaAdminUseCases } from './kafka-admin.usecases';

const GROUP_PARAM = {
  name: 'group',
  schema: { type: 'string' as const, pattern: '^[A-Za-z0-9._-]{1,100}$', example: 'usage' },
  description: 'A consumer group: usage, callback-dispatch, sms-connector, call-orchestrator ...',
};
const KAFKA_DOWN = `Kafka not answering within ${KAFKA_ADMIN_TIMEOUT_MS} ms is a 503 \`service_unavailable\` naming it.`;
const SCALE_DOWN =
  'The group has active members: `conflict` naming them. Kafka moves offsets only of a group without members: scale its consumers ' +
  'down first (for `usage`: run the workers without `usage` in WORKERS), then up again once moved';

/** Operator routes replaying Kafka topics for a consumer group, guarded by `X-Operator-Secret`. */
@ApiTags('admin')
@ApiSecurity('operator')
@UseGuards(OperatorGuard)
@Controller('admin')
export class ConsumerGroupsController {
  constructor(private readonly kafka: KafkaAdminUseCases) {}

  @Get('kafka/consumer-groups/:group')
  @ApiParam(GROUP_PARAM)
  @ApiOperation({ summary: 'Reads a consumer group: its state and active members', description: KAFKA_DOWN })
  @ApiOkResponse({ type: ConsumerGroupDto })
  @ApiNotFoundResponse({ description: 'Kafka knows no such group: `not_found`' })
  describe(@Param('group') group: string): Promise<ConsumerGroupDto> {
    return this.kafka.describeGroup(group);
  }

  @Post('kafka/consumer-groups/:group/offsets')
  @HttpCode(200)
  @ApiParam(GROUP_PARAM)
  @ApiOperation({
    summary: 'Moves a consumer group on a topic: to a time, the log start or end, or given offsets',
    description:
      'The group resumes there once its consumers run again: events after the new offsets are read again and the idempotent consumers drop ' +
      'those already processed (clear their dedupe records first to act again, as `POST /admin/usage/rebuild` does). ' +
      'Audited as `kafka.consumer_group_offsets_set`. ' +
      KAFKA_DOWN,
  })
  @ApiOkResponse({ type: ConsumerGroupOffsetsResultDto })
  @ApiNotFoundResponse({ description: 'Kafka knows no such group: `not_found`' })
  @ApiConflictResponse({ description: SCALE_DOWN })
  move(
    @Actor() ctx: AuditContext,
    @Param('group') group: string,
    @Body() dto: ConsumerGroupOffsetsDto,
  ): Promise<ConsumerGroupOffsetsResultDto> {
    return this.kafka.moveGroup(ctx, group, dto);
  }

  @Post('usage/rebuild')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Rebuilds the usage counters from Kafka, from a UTC day on',
    description:
      'With the usage consumer scaled down: moves the `usage` group to the first event at or after `from` 00:00 UTC on its topics, then ' +
      'clears the counters and ledger rows of those days (of `project_id`, or all), audited as `usage.rebuilt`. Once the usage consumer runs ' +
      'again, it counts every event since `from` anew and the counters end where they were, unless they were wrong. ' +
      KAFKA_DOWN,
  })
  @ApiOkResponse({ type: UsageRebuildResultDto })
  @ApiConflictResponse({
    description: `${SCALE_DOWN}; or Kafka no longer holds every event since \`from\` (its log starts later): \`conflict\` naming the topic`,
  })
  rebuildUsage(@Actor() ctx: AuditContext, @Body() dto: UsageRebuildDto): Promise<UsageRebuildResultDto> {
    return this.kafka.rebuildUsage(ctx, dto);
  }
}
