import { ApiProperty } from '@nestjs/swagger';
import { IsE164 } from '../../common/validators';

/** `POST /admin/projects/{id}/erasures` body. */
export class CreateErasureDto {
  @ApiProperty({ example: '+14155550100', description: "The subscriber's number, E.164" })
  @IsE164()
  phone!: string;
}

/** What an erasure has done so far. */
export class ErasureCountsDto {
  @ApiProperty({ description: 'Messages to or from the number: body redacted, number replaced (unsent MTs failed first)' })
  messages_erased!: number;
  @ApiProperty({ description: 'Calls to or from the number: timeline redacted, number replaced' }) calls_erased!: number;
  @ApiProperty({ description: 'Recordings of those calls deleted from the recording store' }) recordings_deleted!: number;
  @ApiProperty({ description: 'Outbox event copies scrubbed of the number and the MO body' }) events_scrubbed!: number;
  @ApiProperty({ description: 'Stored Idempotency-Key responses scrubbed of the number and the body' }) responses_scrubbed!: number;
  @ApiProperty({
    type: 'integer',
    nullable: true,
    description: 'Opt-out records of the number, kept (the legal record of the opt-out); counted when the erasure completes',
  })
  opt_outs_kept!: number | null;
}

/** A subscriber erasure request and how far the workers got with it. */
export class ErasureDto {
  @ApiProperty({ example: 'era_3kT9aQ2xY7bN5mP1cR8dV4wZ' }) id!: string;
  @ApiProperty() project_id!: string;
  @ApiProperty({ enum: ['pending', 'running', 'completed'] }) status!: string;
  @ApiProperty({ enum: ['messages', 'calls', 'events', 'responses', 'done'], description: 'What the workers work through now' })
  phase!: string;
  @ApiProperty({
    description:
      'Hex SHA-256 of "<project id>:<phone>": the number itself is not kept once the erasure completes; recompute this to show that a number was erased',
  })
  phone_sha256!: string;
  @ApiProperty({ type: ErasureCountsDto }) counts!: ErasureCountsDto;
  @ApiProperty({ nullable: true, type: String, description: 'Why the last batch failed or waits (retried until it goes through)' })
  last_error!: string | null;
  @ApiProperty({ format: 'date-time' }) requested_at!: string;
  @ApiProperty({ format: 'date-time' }) updated_at!: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) completed_at!: string | null;
}
