import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsObject, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { CALL_STATUSES } from '@gw/calls';
import { IsE164, IsFlowId, IsHttpUrl } from '../../common/validators';
import { ListQueryDto } from '../../common/list-query.dto';

const CALL_TARGET = /^(\+[1-9]\d{1,14}|sips?:[^\s@]+@[^\s@]+|PJSIP\/[A-Za-z0-9_.+-]+)$/;

/** Values of `current_verb`: the flow verbs, with a fetch named by its purpose (`redirect` or `actionHook`). */
export const CURRENT_VERBS = ['say', 'play', 'gather', 'dial', 'record', 'pause', 'hangup', 'redirect', 'actionHook'] as const;
export type CurrentVerb = (typeof CURRENT_VERBS)[number];

/**
 * `POST /v1/calls`: exactly one of `flow_id` (with optional `flow_version`, else the active version)
 * or an inline `flow` document. `timeout` is the ring time and `time_limit` the maximum call length, in seconds.
 */
export class CreateCallDto {
  @ApiProperty({ description: 'E.164 number or SIP URI/endpoint to call', example: '+14155550100' })
  @IsString()
  @Matches(CALL_TARGET, { message: 'to must be an E.164 number, a sip: URI or a PJSIP/ endpoint' })
  to!: string;

  @ApiProperty({ description: 'Caller id, E.164', example: '+14155550199' })
  @IsE164()
  from!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsFlowId()
  flow_id?: string;

  @ApiPropertyOptional({ minimum: 1 }) @IsOptional() @IsInt() @Min(1) flow_version?: number;

  @ApiPropertyOptional({ description: 'Inline flow document (see GET /v1/flows/schema)', type: 'object', additionalProperties: true })
  @IsOptional()
  @IsObject()
  flow?: Record<string, unknown>;

  @ApiPropertyOptional()
  @IsOptional()
  @IsHttpUrl()
  status_callback?: string;

  @ApiPropertyOptional({ description: 'Ring time, seconds', minimum: 5, maximum: 600, default: 30 })
  @IsOptional()
  @IsInt()
  @Min(5)
  @Max(600)
  timeout?: number;

  @ApiPropertyOptional({ description: 'Maximum call length, seconds', minimum: 1, maximum: 14400, default: 3600 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(14400)
  time_limit?: number;
}

/** One timeline entry: a transition (from_status / event / to_status), a verb started or finished, DTMF, a recording or a note. */
export class CallEventDto {
  @ApiProperty() seq!: number;
  @ApiProperty({ enum: ['transition', 'verb_started', 'verb_finished', 'dtmf', 'recording', 'note'] }) kind!: string;
  @ApiProperty({ nullable: true, type: String }) from_status!: string | null;
  @ApiProperty({ nullable: true, type: String }) event!: string | null;
  @ApiProperty({ nullable: true, type: String }) to_status!: string | null;
  @ApiProperty({ nullable: true, type: 'object', additionalProperties: true }) step!: Record<string, unknown> | null;
  @ApiProperty({ nullable: true, type: 'object', additionalProperties: true }) detail!: Record<string, unknown> | null;
  @ApiProperty({ format: 'date-time' }) occurred_at!: string;
}

export class RecordingDto {
  @ApiProperty() id!: string;
  @ApiProperty({ description: 'seconds' }) duration_s!: number;
  @ApiProperty() content_type!: string;
  @ApiProperty() size_bytes!: number;
  @ApiProperty({ description: 'GET this path (with the API key) for the audio' }) url!: string;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
  @ApiProperty({
    nullable: true,
    type: String,
    format: 'date-time',
    description: "When the audio was deleted (project's retention or a subscriber erasure): `url` then answers 404; null while stored",
  })
  deleted_at!: string | null;
}

export class CallDto {
  @ApiProperty({ example: 'call_3kT9aQ2xY7bN5mP1cR8dV4wZ' }) id!: string;
  @ApiProperty({ enum: ['outbound', 'inbound'] }) direction!: string;
  @ApiProperty({ enum: CALL_STATUSES }) status!: string;
  @ApiProperty({ nullable: true, type: String, description: 'e.g. NORMAL_CLEARING, USER_BUSY, NO_ANSWER' }) hangup_cause!: string | null;
  @ApiProperty() to!: string;
  @ApiProperty() from!: string;
  @ApiProperty({ nullable: true, type: String }) flow_id!: string | null;
  @ApiProperty({ nullable: true, type: Number }) flow_version!: number | null;
  @ApiProperty({ nullable: true, type: String }) status_callback!: string | null;
  @ApiProperty({ description: 'seconds' }) timeout!: number;
  @ApiProperty({ description: 'seconds' }) time_limit!: number;
  @ApiProperty({ nullable: true, type: Number, description: 'answered seconds' }) duration_s!: number | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) answered_at!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) ended_at!: string | null;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
  @ApiProperty({
    nullable: true,
    type: String,
    format: 'date-time',
    description:
      "When the timeline's details (digits, TTS text, dial targets, fetch bodies) were redacted, by the project's retention or a " +
      'subscriber erasure; statuses, causes and durations stay. null while kept',
  })
  timeline_redacted_at!: string | null;

  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Id of the orchestrator replica driving the call (its lease holder); null until one claims it and once the call ended',
  })
  replica!: string | null;

  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Name of the Asterisk (ARI) server carrying the call; null until the call is placed, kept once it ended',
  })
  ari_server!: string | null;

  @ApiProperty({
    nullable: true,
    type: String,
    enum: CURRENT_VERBS,
    description:
      'Verb of the flow step running now. `redirect`: the redirect URL is being fetched; `actionHook`: a gather is posting its ' +
      'digits to its actionHook and waits for the next verbs; `hangup` also while the gateway hangs up after the last step. ' +
      'null before the call is answered, after the far end hung up, and once the call ended',
  })
  current_verb!: CurrentVerb | null;

  @ApiProperty({
    nullable: true,
    type: String,
    format: 'date-time',
    description:
      "End of the replica's lease, renewed while it runs; a time in the past means the replica stopped and another one " +
      'takes the call over. null when `replica` is',
  })
  lease_expires_at!: string | null;
}

export class CallWithTimelineDto extends CallDto {
  @ApiProperty({ type: [CallEventDto] }) timeline!: CallEventDto[];
  @ApiProperty({ type: [RecordingDto] }) recordings!: RecordingDto[];
}

export class CallPageDto {
  @ApiProperty({ type: [CallDto] }) data!: CallDto[];
  @ApiPropertyOptional({ nullable: true, type: String }) next_cursor!: string | null;
}

/** `GET /v1/calls` query. */
export class ListCallsQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ enum: CALL_STATUSES })
  @IsOptional()
  @IsIn(CALL_STATUSES)
  status?: string;
}

/** `GET /v1/calls/state-machine` query. */
export class CallStateMachineQueryDto {
  @ApiPropertyOptional({ enum: ['json', 'mermaid'], description: 'mermaid: the diagram as text/plain (as does Accept: text/plain)' })
  @IsOptional()
  @IsIn(['json', 'mermaid'])
  format?: 'json' | 'mermaid';
}

/** A call status; terminal ones are final. */
export class CallStateDto {
  @ApiProperty({ enum: CALL_STATUSES }) name!: string;
  @ApiProperty() terminal!: boolean;
  @ApiProperty() description!: string;
}

/** A move the state machine allows; `event` (as timeline transitions name it) is null for a move no event makes today. */
export class CallStateEdgeDto {
  @ApiProperty({ enum: CALL_STATUSES }) from!: string;
  @ApiProperty({ enum: CALL_STATUSES }) to!: string;
  @ApiProperty({ nullable: true, type: String, example: 'ari.StasisStart' }) event!: string | null;
}

/** The status calls are created in and the timeline events that create them. */
export class CallStateInitialDto {
  @ApiProperty({ enum: CALL_STATUSES }) to!: string;
  @ApiProperty({ type: [String], example: ['api.create', 'ari.StasisStart'] }) events!: string[];
}

/**
 * The call status machine, generated from the table the gateway applies: statuses never move
 * backwards and may skip steps, terminal ones are never left.
 */
export class CallStateMachineDto {
  @ApiProperty({ type: CallStateInitialDto }) initial!: CallStateInitialDto;
  @ApiProperty({ type: [CallStateDto] }) states!: CallStateDto[];
  @ApiProperty({ type: [String], description: 'Every event name, as timeline transitions show it (creation events first)' })
  events!: string[];
  @ApiProperty({ type: [CallStateEdgeDto], description: 'One entry per (from, to, event)' }) transitions!: CallStateEdgeDto[];
  @ApiProperty({ description: 'The same graph as Mermaid stateDiagram-v2 text' }) mermaid!: string;
}
