import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DATA_SOURCE } from '@gw/database';
import { DomainError } from '@gw/errors';
import {
  ALL_TOPICS,
  ConsumerGroupAdmin,
  ConsumerGroups,
  KafkaDeadLetterRepository,
  type KafkaDeadLetter,
  type KafkaDeadLetterFilter,
  type OffsetTarget,
} from '@gw/kafka';
import { AuditContext, AuditLogRepository } from '../../audit/audit-log.repository';
import { decodeOffsetCursor, encodeOffsetCursor } from '../dead-letters/dead-letter-queues';
import type {
  ConsumerGroupDto,
  ConsumerGroupOffsetsDto,
  ConsumerGroupOffsetsResultDto,
  KafkaDeadLetterDetailDto,
  KafkaDeadLetterDto,
  KafkaDeadLetterPageDto,
  KafkaDeadLetterQueryDto,
  KafkaDeadLetterSelectionDto,
  KafkaPurgeDto,
  KafkaPurgeResultDto,
  KafkaReplayResultDto,
  UsageRebuildDto,
  UsageRebuildResultDto,
} from './dto/kafka-admin.dto';
import { UsageCountersRepository } from './usage-counters.repository';

/** The dead-letter topics operators manage: `<topic>.dlq` of each event topic (see IdempotentConsumer). */
export const KAFKA_DEAD_LETTER_TOPICS: string[] = ALL_TOPICS.filter((t) => t.endsWith('.dlq'));

/** The workers' usage consumer (apps/workers/src/usage/record-usage.ts): its group and topics. */
export const USAGE_CONSUMER = ConsumerGroups.Usage;

/**
 * Longest an operator request waits for Kafka, ms (connecting included); past it the answer is a
 * 503 naming Kafka. A dead-letter read joins a throwaway group, which takes a few hundred ms.
 */
export const KAFKA_ADMIN_TIMEOUT_MS = 5000;

/** Most ids an audit record lists; a larger replay records the count and the first ones. */
const AUDITED_IDS = 1000;

const GROUP_NAME = /^[A-Za-z0-9._-]{1,100}$/;

/**
 * The operator's Kafka tools: the dead-letter topics (list, read, replay, purge; see
 * KafkaDeadLetterRepository), consumer-group offsets (ConsumerGroupAdmin) and the usage rebuild.
 * Every change is audited: a replay or a rebuild in the transaction of its Postgres writes, a purge
 * or an offset move (Kafka alone) once Kafka has done it.
 */
@Injectable()
export class KafkaAdminUseCases {
  constructor(
    @Inject(DATA_SOURCE) private readonly ds: DataSource,
    private readonly deadLetters: KafkaDeadLetterRepository,
    private readonly groups: ConsumerGroupAdmin,
    private readonly usage: UsageCountersRepository,
    private readonly audit: AuditLogRepository,
  ) {}

  /** A newest-first page. @throws DomainError not_found (topic) | validation_failed (cursor) | service_unavailable */
  async list(topic: string, q: KafkaDeadLetterQueryDto): Promise<KafkaDeadLetterPageDto> {
    const offset = q.cursor ? decodeOffsetCursor(q.cursor) : 0;
    const page = await this.deadLetters.list(deadLetterTopicNamed(topic), offset, q.limit ?? 20, filterOf(q));
    return { data: page.data.map(toDto), next_cursor: page.next_offset === null ? null : encodeOffsetCursor(page.next_offset) };
  }

  /** @throws DomainError not_found (topic, entry) | validation_failed (entryId) | service_unavailable */
  async get(topic: string, entryId: string): Promise<KafkaDeadLetterDetailDto> {
    const found = await this.deadLetters.get(deadLetterTopicNamed(topic), entryIdOf(entryId));
    if (!found) throw DomainError.notFound(`dead letter ${entryId} on ${topic}`);
    return { ...toDto(found), value: found.value };
  }

  /**
   * Republishes the selected entries to their original topics and audits
   * `kafka_dead_letters.replayed` in the transaction that records them as replayed.
   * @throws DomainError not_found (topic) | validation_failed (ids, project_id, event_type) | service_unavailable
   */
  async replay(ctx: AuditContext, topic: string, dto: KafkaDeadLetterSelectionDto): Promise<KafkaReplayResultDto> {
    const dlq = deadLetterTopicNamed(topic);
    const ids = await this.selected(dlq, dto);
    const outcome = await this.deadLetters.replay(dlq, ids, async (tx, { done, missing }) => {
      await this.audit.record(
        ctx,
        {
          action: 'kafka_dead_letters.replayed',
          projectId: dto.all ? (dto.project_id ?? null) : null,
          target: dlq,
          detail: {
            topic: dlq,
            all: dto.all === true,
            event_type: dto.event_type ?? null,
            count: done.length,
            ids: done.slice(0, AUDITED_IDS),
            ids_truncated: done.length > AUDITED_IDS,
            missing: missing.slice(0, AUDITED_IDS),
          },
        },
        tx,
      );
    });
    return { replayed: outcome.done.length, missing: outcome.missing };
  }

  /**
   * Deletes records of a dead-letter topic (all, or per partition before an offset) and audits
   * `kafka_dead_letters.purged`.
   * @throws DomainError not_found (topic) | validation_failed (all, partitions) | service_unavailable
   */
  async purge(ctx: AuditContext, topic: string, dto: KafkaPurgeDto): Promise<KafkaPurgeResultDto> {
    const dlq = deadLetterTopicNamed(topic);
    if (dto.all && dto.partitions) throw DomainError.invalid('partitions', 'give either partitions or all: true, not both');
    if (!dto.all && !dto.partitions) throw DomainError.invalid('partitions', 'give partitions or all: true');
    const outcome = await this.deadLetters.purge(dlq, dto.partitions);
    await this.audit.record(ctx, {
      action: 'kafka_dead_letters.purged',
      target: dlq,
      detail: { topic: dlq, all: dto.all === true, up_to: dto.partitions ?? null, purged: outcome.purged, partitions: outcome.partitions },
    });
    return outcome;
  }

  /** @throws DomainError validation_failed (group) | not_found (group) | service_unavailable */
  describeGroup(group: string): Promise<ConsumerGroupDto> {
    return this.groups.describe(groupNamed(group));
  }

  /**
   * Moves `group` on one topic and audits `kafka.consumer_group_offsets_set`.
   * @throws DomainError validation_failed (group, timestamp, offsets) | not_found (group) |
   *   conflict naming the group's active members | service_unavailable
   */
  async moveGroup(ctx: AuditContext, group: string, dto: ConsumerGroupOffsetsDto): Promise<ConsumerGroupOffsetsResultDto> {
    const name = groupNamed(group);
    const target = targetOf(dto);
    const offsets = await this.groups.moveTo(name, dto.topic, target);
    await this.audit.record(ctx, {
      action: 'kafka.consumer_group_offsets_set',
      target: name,
      detail: { group: name, topic: dto.topic, target: dto, offsets },
    });
    return { group: name, topic: dto.topic, offsets };
  }

  /**
   * Rebuilds the usage counters from `from` (a UTC day) on: checks that the usage group has no
   * members and that Kafka still holds every event since then, moves the group on each of its topics
   * to the first record at or after `from` 00:00 UTC, then, in one transaction, clears the counters
   * and ledger rows of those days (of one project, or all) and audits `usage.rebuilt`. Once the usage
   * consumer runs again it counts every event since `from` anew; the ledger keeps the rows of
   * earlier days (and of other projects), so events already counted there are not counted twice.
   * The offsets move first: should the transaction fail, the replay only finds everything counted.
   * @throws DomainError conflict (active members; events since `from` gone) | not_found (group) | service_unavailable
   */
  async rebuildUsage(ctx: AuditContext, dto: UsageRebuildDto): Promise<UsageRebuildResultDto> {
    const { group, topics } = USAGE_CONSUMER;
    await this.groups.requireIdle(group);
    const timestamp = Date.parse(`${dto.from}T00:00:00Z`);
    const offsets: ConsumerGroupOffsetsResultDto[] = [];
    for (const topic of topics) offsets.push({ group, topic, offsets: await this.groups.moveTo(group, topic, { timestamp }, true) });
    const projectId = dto.project_id ?? null;
    const cleared = await this.ds.transaction(async (tx) => {
      const rows = await this.usage.clearFrom(tx, dto.from, projectId);
      await this.audit.record(
        ctx,
        { action: 'usage.rebuilt', projectId, target: group, detail: { from: dto.from, cleared: rows, offsets } },
        tx,
      );
      return rows;
    });
    return { from: dto.from, project_id: projectId, cleared_days: cleared.daily, cleared_ledger: cleared.ledger, offsets };
  }

  private async selected(dlq: string, dto: KafkaDeadLetterSelectionDto): Promise<string[]> {
    if (dto.ids && dto.all) throw DomainError.invalid('ids', 'give either ids or all: true, not both');
    if (dto.ids) {
      if (dto.project_id) throw DomainError.invalid('project_id', 'filters only all: true');
      if (dto.event_type) throw DomainError.invalid('event_type', 'filters only all: true');
      return dto.ids;
    }
    if (!dto.all) throw DomainError.invalid('ids', 'give ids or all: true');
    return this.deadLetters.ids(dlq, filterOf(dto));
  }
}

/** @throws DomainError not_found naming the topic when it is not a dead-letter topic of the gateway */
export function deadLetterTopicNamed(name: string): string {
  if (!KAFKA_DEAD_LETTER_TOPICS.includes(name)) {
    throw DomainError.notFound(`dead-letter topic '${name.slice(0, 64)}' (known: ${KAFKA_DEAD_LETTER_TOPICS.join(', ')})`);
  }
  return name;
}

/** @throws DomainError validation_failed naming entryId */
function entryIdOf(id: string): string {
  if (!/^(0|[1-9]\d{0,5})-(0|[1-9]\d{0,18})$/.test(id)) throw DomainError.invalid('entryId', 'must be an entry id (<partition>-<offset>)');
  return id;
}

/** @throws DomainError validation_failed naming group */
function groupNamed(group: string): string {
  if (!GROUP_NAME.test(group)) throw DomainError.invalid('group', 'must be a consumer group name (letters, digits, . _ -; up to 100)');
  return group;
}

/**
 * Exactly one of timestamp, earliest, latest and offsets.
 * @throws DomainError validation_failed naming timestamp
 */
export function targetOf(dto: ConsumerGroupOffsetsDto): OffsetTarget {
  const given = (['timestamp', 'earliest', 'latest', 'offsets'] as const).filter((k) => dto[k] !== undefined);
  if (given.length !== 1) throw DomainError.invalid('timestamp', 'give exactly one of timestamp, earliest, latest and offsets');
  if (dto.timestamp !== undefined) {
    const at = Date.parse(/T/.test(dto.timestamp) ? dto.timestamp : `${dto.timestamp}T00:00:00Z`);
    return { timestamp: at };
  }
  if (dto.earliest) return { earliest: true };
  if (dto.latest) return { latest: true };
  return { offsets: dto.offsets!.map(({ partition, offset }) => ({ partition, offset })) };
}

function filterOf(q: { project_id?: string; event_type?: string }): KafkaDeadLetterFilter | undefined {
  if (!q.project_id && !q.event_type) return undefined;
  return (e) => (!q.project_id || e.project_id === q.project_id) && (!q.event_type || e.event_type === q.event_type);
}

function toDto(e: KafkaDeadLetter): KafkaDeadLetterDto {
  const { value: _value, ...listed } = e;
  return listed;
}
