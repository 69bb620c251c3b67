import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** Longest retention period an operator may set, days (100 years); longer is what null (forever) is for. */
export const MAX_RETENTION_DAYS = 36_500;

const PERIODS = {
  message_body_days:
    'Days after which MT and MO bodies are redacted (body "" and redacted_at set); status, segments, timestamps, DLR timeline and usage stay',
  call_timeline_days:
    'Days after which call timeline details (gathered digits, DTMF, TTS text, dial targets, fetch bodies) are redacted; statuses, causes and durations stay',
  recording_days: 'Days after which call recordings are deleted from the recording store; their rows stay, marked deleted_at',
} as const;

/** A period in a body: absent or null keeps that data forever, else 1..MAX_RETENTION_DAYS whole days. */
const Period = (field: keyof typeof PERIODS) =>
  applyDecorators(
    ApiPropertyOptional({
      type: 'integer',
      nullable: true,
      minimum: 1,
      maximum: MAX_RETENTION_DAYS,
      description: `${PERIODS[field]}. Absent or null: kept forever`,
    }),
    IsOptional(),
    IsInt(),
    Min(1),
    Max(MAX_RETENTION_DAYS),
  );

/**
 * `PUT /admin/projects/{id}/retention` body: replaces the project's three periods (a period
 * absent or null keeps that data forever, the default of every project).
 */
export class RetentionDto {
  @Period('message_body_days') message_body_days?: number | null;
  @Period('call_timeline_days') call_timeline_days?: number | null;
  @Period('recording_days') recording_days?: number | null;
}

/** A project's retention as the sweep applies it; null: kept forever. */
export class RetentionSettingsDto {
  @ApiProperty() project_id!: string;
  @ApiProperty({ type: 'integer', nullable: true, description: PERIODS.message_body_days }) message_body_days!: number | null;
  @ApiProperty({ type: 'integer', nullable: true, description: PERIODS.call_timeline_days }) call_timeline_days!: number | null;
  @ApiProperty({ type: 'integer', nullable: true, description: PERIODS.recording_days }) recording_days!: number | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time', description: 'Last change; null when never set' }) updated_at!:
    string | null;
}
