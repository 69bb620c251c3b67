import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, Equals, IsArray, IsOptional, Matches } from 'class-validator';
import { PageQueryDto } from '../../../common/list-query.dto';

/** A dead letter's id: the original job's, a message id (`sms-submit`) or an outbox event id, a UUID (`callbacks`). */
export const DEAD_LETTER_ID = /^(msg_[0-9A-Za-z]{1,64}|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$/;

/** Most ids one replay or purge names. */
export const MAX_DEAD_LETTER_IDS = 1000;

const PROJECT_ID = /^prj_[0-9A-Za-z]{1,40}$/;
const PROJECT_FILTER_DOC = 'Only dead letters whose original data names this project (callbacks; sms-submit jobs carry no project id)';

/** `GET /admin/dead-letters/{queue}` query. */
export class DeadLetterQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: PROJECT_FILTER_DOC, pattern: PROJECT_ID.source })
  @IsOptional()
  @Matches(PROJECT_ID, { message: 'project_id must be a project id (prj_...)' })
  project_id?: string;
}

/**
 * Which dead letters a replay or purge covers: `ids`, or `all: true` (optionally only those of
 * `project_id`). Exactly one of `ids` and `all` (checked by selectionOf).
 */
export class DeadLetterSelectionDto {
  @ApiPropertyOptional({
    description: `Dead letter ids (message ids for sms-submit, event ids for callbacks), 1 to ${MAX_DEAD_LETTER_IDS}, no repeats`,
    type: 'array',
    items: { type: 'string', pattern: DEAD_LETTER_ID.source },
    minItems: 1,
    maxItems: MAX_DEAD_LETTER_IDS,
    uniqueItems: true,
    example: ['0b6f3c1e-9a52-4c1d-8f0e-2d7a5b9c4e31'],
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_DEAD_LETTER_IDS)
  @ArrayUnique()
  @Matches(DEAD_LETTER_ID, { each: true, message: 'each of ids must be a message id (msg_...) or an event id (UUID)' })
  ids?: string[];

  @ApiPropertyOptional({ description: 'true: every dead letter of the queue (with project_id: of that project)', enum: [true] })
  @IsOptional()
  @Equals(true, { message: 'all must be true when given' })
  all?: true;

  @ApiPropertyOptional({ description: `${PROJECT_FILTER_DOC}; only with all: true`, pattern: PROJECT_ID.source })
  @IsOptional()
  @Matches(PROJECT_ID, { message: 'project_id must be a project id (prj_...)' })
  project_id?: string;
}

export class DeadLetterDto {
  @ApiProperty({ description: "The original job's id: message id (sms-submit) or outbox event id (callbacks)" }) id!: string;
  @ApiProperty({ enum: ['sms-submit', 'callbacks'] }) queue!: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: "The original job's data" }) data!: Record<string, unknown>;
  @ApiProperty({ description: 'Error of the last attempt' }) reason!: string;
  @ApiProperty({ description: 'Attempts made, the first included' }) attempts!: number;
  @ApiProperty({ format: 'date-time', description: 'When it was dead-lettered' }) failed_at!: string;
}

export class DeadLetterPageDto {
  @ApiProperty({ type: [DeadLetterDto] }) data!: DeadLetterDto[];
  @ApiProperty({ nullable: true, type: String }) next_cursor!: string | null;
}

/** What BullMQ still keeps of the original job; the attempt that dead-lettered it completes it, so its error is `reason`. */
export class AttemptHistoryDto {
  @ApiProperty({ description: 'BullMQ state of the original job (completed once dead-lettered; waiting, active ... once replayed)' })
  state!: string;
  @ApiProperty() attempts_made!: number;
  @ApiProperty({ nullable: true, type: String, description: 'Error of the last failed attempt before the one that dead-lettered it' })
  failed_reason!: string | null;
  @ApiProperty({ type: [String], description: 'Stack trace of each failed attempt BullMQ kept, oldest first' }) stacktrace!: string[];
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) finished_at!: string | null;
}

export class DeadLetterDetailDto extends DeadLetterDto {
  @ApiProperty({ type: AttemptHistoryDto, nullable: true, description: 'null once BullMQ no longer keeps the original job' })
  history!: AttemptHistoryDto | null;
}

export class ReplayResultDto {
  @ApiProperty({ description: 'Dead letters put back on their queue' }) replayed!: number;
  @ApiProperty({ type: [String], description: 'Ids asked for that the dead-letter queue did not hold (already replayed or purged)' })
  missing!: string[];
}

export class PurgeResultDto {
  @ApiProperty({ description: 'Dead letters removed' }) purged!: number;
  @ApiProperty({ type: [String], description: 'Ids asked for that the dead-letter queue did not hold' }) missing!: string[];
}
