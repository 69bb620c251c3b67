import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  Equals,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { KAFKA_DEAD_LETTER_ID, Topics } from '@gw/kafka';
import { PageQueryDto } from '../../../common/list-query.dto';
import { DATE_FILTER_PATTERN, FULL_DATE_PATTERN, IsDateFilter } from '../../../common/validators';

/** Most ids one replay names. */
export const MAX_KAFKA_DEAD_LETTER_IDS = 1000;
/** Highest partition number accepted (a topic has far fewer). */
const MAX_PARTITION = 99999;

const PROJECT_ID = /^prj_[0-9A-Za-z]{1,40}$/;
const EVENT_TYPE = /^[a-z][a-z0-9_.]{0,63}$/;
const OFFSET = /^(0|[1-9]\d{0,18})$/;
const PROJECT_DOC = "Only entries whose envelope's payload names this project";
const TYPE_DOC = 'Only entries of this event type (e.g. `message.status_changed`)';

/** `GET /admin/kafka/dead-letters/{topic}` query. */
export class KafkaDeadLetterQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: PROJECT_DOC, pattern: PROJECT_ID.source })
  @IsOptional()
  @Matches(PROJECT_ID, { message: 'project_id must be a project id (prj_...)' })
  project_id?: string;

  @ApiPropertyOptional({ description: TYPE_DOC, pattern: EVENT_TYPE.source })
  @IsOptional()
  @Matches(EVENT_TYPE, { message: 'event_type must be an event type such as message.status_changed' })
  event_type?: string;
}

/** Which entries a replay covers: `ids`, or `all: true` (optionally only those of `project_id` and `event_type`). */
export class KafkaDeadLetterSelectionDto {
  @ApiPropertyOptional({
    description: `Entry ids (\`<partition>-<offset>\` on the dead-letter topic), 1 to ${MAX_KAFKA_DEAD_LETTER_IDS}, no repeats`,
    type: 'array',
    items: { type: 'string', pattern: KAFKA_DEAD_LETTER_ID.source },
    minItems: 1,
    maxItems: MAX_KAFKA_DEAD_LETTER_IDS,
    uniqueItems: true,
    example: ['3-17'],
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_KAFKA_DEAD_LETTER_IDS)
  @ArrayUnique()
  @Matches(KAFKA_DEAD_LETTER_ID, { each: true, message: 'each of ids must be an entry id (<partition>-<offset>)' })
  ids?: string[];

  @ApiPropertyOptional({ description: 'true: every entry on offer (with project_id / event_type: those matching)', enum: [true] })
  @IsOptional()
  @Equals(true, { message: 'all must be true when given' })
  all?: true;

  @ApiPropertyOptional({ description: `${PROJECT_DOC}; only with all: true`, pattern: PROJECT_ID.source })
  @IsOptional()
  @Matches(PROJECT_ID, { message: 'project_id must be a project id (prj_...)' })
  project_id?: string;

  @ApiPropertyOptional({ description: `${TYPE_DOC}; only with all: true`, pattern: EVENT_TYPE.source })
  @IsOptional()
  @Matches(EVENT_TYPE, { message: 'event_type must be an event type such as message.status_changed' })
  event_type?: string;
}

/** A partition and an offset in it (Kafka's int64, as a string). */
export class PartitionOffsetDto {
  @ApiProperty({ type: 'integer', minimum: 0, maximum: MAX_PARTITION }) @IsInt() @Min(0) @Max(MAX_PARTITION) partition!: number;
  @ApiProperty({ pattern: OFFSET.source, example: '42' })
  @Matches(OFFSET, { message: 'offset must be a record offset (digits)' })
  offset!: string;
}

/** An optional, non-empty list of PartitionOffsetDto (at most one entry per partition), validated and documented. */
function PartitionOffsetList(description: string): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ type: [PartitionOffsetDto], description, minItems: 1 }),
    IsOptional(),
    IsArray(),
    ArrayMinSize(1),
    ArrayMaxSize(MAX_PARTITION),
    ValidateNested({ each: true }),
    Type(() => PartitionOffsetDto),
  );
}

/** `DELETE /admin/kafka/dead-letters/{topic}`: exactly one of `all: true` and `partitions`. */
export class KafkaPurgeDto {
  @ApiPropertyOptional({ description: "true: every record there now (up to each partition's log end)", enum: [true] })
  @IsOptional()
  @Equals(true, { message: 'all must be true when given' })
  all?: true;

  @PartitionOffsetList(
    'Per partition: delete its records before `offset` (Kafka DeleteRecords); an entry `3-17` goes with {partition: 3, offset: "18"}',
  )
  partitions?: PartitionOffsetDto[];
}

export class KafkaDeadLetterDto {
  @ApiProperty({ description: 'Place on the dead-letter topic, `<partition>-<offset>`', example: '3-17' }) id!: string;
  @ApiProperty({ description: 'The dead-letter topic', example: 'sms.events.v1.dlq' }) topic!: string;
  @ApiProperty({ type: 'integer' }) partition!: number;
  @ApiProperty() offset!: string;
  @ApiProperty({ description: 'Where the record was read, and where a replay republishes it' }) original_topic!: string;
  @ApiProperty({ type: 'integer', nullable: true }) original_partition!: number | null;
  @ApiProperty({ type: String, nullable: true }) original_offset!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The consumer group that gave up on it' }) group!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'null when the record was not an envelope' }) event_id!: string | null;
  @ApiProperty({ type: String, nullable: true }) event_type!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Record key: the aggregate id (message or call id)' }) key!: string | null;
  @ApiProperty({ type: String, nullable: true }) project_id!: string | null;
  @ApiProperty({ description: "The last attempt's error, or why the record could not be decoded" }) reason!: string;
  @ApiProperty({ type: 'integer', nullable: true, description: 'Attempts made (1 for an undecodable record)' }) attempts!: number | null;
  @ApiProperty({ format: 'date-time', description: 'When it was parked' }) failed_at!: string;
}

export class KafkaDeadLetterPageDto {
  @ApiProperty({ type: [KafkaDeadLetterDto] }) data!: KafkaDeadLetterDto[];
  @ApiProperty({ nullable: true, type: String }) next_cursor!: string | null;
}

export class KafkaDeadLetterDetailDto extends KafkaDeadLetterDto {
  @ApiProperty({ description: 'The record value: the envelope (JSON), or its text when it is not JSON', nullable: true })
  value!: unknown;
}

export class KafkaReplayResultDto {
  @ApiProperty({ description: 'Entries republished to their original topic' }) replayed!: number;
  @ApiProperty({ type: [String], description: 'Ids asked for that are not on offer (absent, already replayed or purged)' })
  missing!: string[];
}

export class PartitionLowDto {
  @ApiProperty({ type: 'integer' }) partition!: number;
  @ApiProperty({ description: "Where the partition's log now starts" }) low!: string;
}

export class KafkaPurgeResultDto {
  @ApiProperty({ description: 'Records deleted' }) purged!: number;
  @ApiProperty({ type: [PartitionLowDto] }) partitions!: PartitionLowDto[];
}

/** The gateway's event topics, where a consumer group can be moved. */
export const EVENT_TOPICS: string[] = Object.values(Topics);

/** `POST /admin/kafka/consumer-groups/{group}/offsets`: the topic and exactly one of timestamp, earliest, latest, offsets. */
export class ConsumerGroupOffsetsDto {
  @ApiProperty({ enum: EVENT_TOPICS }) @IsIn(EVENT_TOPICS, { message: `topic must be one of ${EVENT_TOPICS.join(', ')}` }) topic!: string;

  @ApiPropertyOptional({
    pattern: DATE_FILTER_PATTERN,
    example: '2026-12-01T00:00:00Z',
    description: 'Resume at the first record at or after this time (the records’ own timestamps; a date alone is 00:00 UTC)',
  })
  @IsOptional()
  @IsDateFilter()
  timestamp?: string;

  @ApiPropertyOptional({ enum: [true], description: "Resume at each partition's log start" })
  @IsOptional()
  @Equals(true, { message: 'earliest must be true when given' })
  earliest?: true;

  @ApiPropertyOptional({ enum: [true], description: "Resume at each partition's log end (skip everything there now)" })
  @IsOptional()
  @Equals(true, { message: 'latest must be true when given' })
  latest?: true;

  @PartitionOffsetList('Resume at these offsets (partitions left out keep theirs)')
  offsets?: PartitionOffsetDto[];
}

export class ConsumerGroupDto {
  @ApiProperty() group!: string;
  @ApiProperty({ description: 'Kafka group state: Empty (no members), Stable, PreparingRebalance, CompletingRebalance' }) state!: string;
  @ApiProperty({ type: 'integer', description: 'Active members; offsets can be moved only at 0' }) members!: number;
}

export class ConsumerGroupOffsetsResultDto {
  @ApiProperty() group!: string;
  @ApiProperty() topic!: string;
  @ApiProperty({ type: [PartitionOffsetDto], description: 'Where the group now resumes, per partition' }) offsets!: PartitionOffsetDto[];
}

/** `POST /admin/usage/rebuild`. */
export class UsageRebuildDto {
  @ApiProperty({ format: 'date', example: '2026-12-01', description: 'First UTC day to rebuild; every later day is rebuilt too' })
  @Matches(new RegExp(FULL_DATE_PATTERN), { message: 'from must be a date YYYY-MM-DD' })
  from!: string;

  @ApiPropertyOptional({ description: 'Only this project’s counters (default: every project)', pattern: PROJECT_ID.source })
  @IsOptional()
  @Matches(PROJECT_ID, { message: 'project_id must be a project id (prj_...)' })
  project_id?: string;
}

export class UsageRebuildResultDto {
  @ApiProperty({ format: 'date' }) from!: string;
  @ApiProperty({ type: String, nullable: true }) project_id!: string | null;
  @ApiProperty({ description: 'Daily counter rows cleared' }) cleared_days!: number;
  @ApiProperty({ description: 'Ledger rows (one per message or call and metric) cleared' }) cleared_ledger!: number;
  @ApiProperty({ type: [ConsumerGroupOffsetsResultDto], description: 'Where the usage group now resumes, per topic' })
  offsets!: ConsumerGroupOffsetsResultDto[];
}
