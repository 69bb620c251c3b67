import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

const STATUSES = ['queued', 'sending', 'sent', 'delivered', 'undelivered', 'failed', 'received'];

/** One applied status transition. */
export class StatusEventDto {
  @ApiProperty({ enum: STATUSES }) status!: string;
  @ApiProperty({ enum: STATUSES, nullable: true, type: String }) from_status!: string | null;
  @ApiProperty({
    description:
      'api, connector, dlr, mo, system (a system reply accepted), retention or erasure (an MT failed before it was sent because its body was due for redaction or its recipient was erased)',
  })
  source!: string;
  @ApiProperty({ nullable: true, type: String, description: 'Carrier status verbatim, e.g. DELIVRD, UNDELIV, ESME_ROK' }) carrier_status!:
    string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Carrier error code verbatim, e.g. 001 or ESME_RINVDSTADR' }) carrier_code!:
    string | null;
  @ApiProperty({ nullable: true, type: String }) description!: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'The connector (conn_...) of the attempt this transition belongs to; null before routing and for inbound messages',
  })
  connector_id!: string | null;
  @ApiProperty({ format: 'date-time' }) occurred_at!: string;
}

/** A message as the API returns it. */
export class MessageDto {
  @ApiProperty({ example: 'msg_3kT9aQ2xY7bN5mP1cR8dV4wZ' }) id!: string;
  @ApiProperty({ enum: ['outbound', 'inbound'] }) direction!: string;
  @ApiProperty({ enum: STATUSES }) status!: string;
  @ApiProperty() to!: string;
  @ApiProperty() from!: string;
  @ApiProperty() body!: string;
  @ApiProperty({ enum: ['GSM-7', 'UCS-2'] }) encoding!: string;
  @ApiProperty({ description: 'Billable SMS segments (GSM 03.38)' }) segments!: number;
  @ApiProperty({ nullable: true, type: String }) status_callback!: string | null;
  @ApiProperty({ nullable: true, type: Number, description: 'seconds' }) validity_period!: number | null;
  @ApiProperty({ nullable: true, type: String }) error_code!: string | null;
  @ApiProperty({ nullable: true, type: String }) error_message!: string | null;
  @ApiProperty({
    nullable: true,
    enum: ['opt_out', 'opt_in', 'help'],
    type: String,
    description: 'On an MO, what its keyword did (STOP: opt_out, START: opt_in, HELP: help); on a system reply, the keyword it answers',
  })
  keyword_action!: string | null;
  @ApiProperty({ description: 'An MT the gateway sent itself in answer to an MO keyword (HELP text, STOP/START confirmation)' })
  system_reply!: boolean;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
  @ApiProperty({ format: 'date-time' }) updated_at!: string;
  @ApiProperty({
    nullable: true,
    type: String,
    format: 'date-time',
    description: 'When the body was redacted (it is then ""), by the project\'s retention or a subscriber erasure; null while kept',
  })
  redacted_at!: string | null;
}

/** One attempt to hand an MT to a connector. */
export class SubmissionDto {
  @ApiProperty({ description: '1 for the first attempt' }) attempt!: number;
  @ApiProperty({ description: 'The connector (conn_...) the attempt went to' }) connector_id!: string;
  @ApiProperty({
    enum: ['submitting', 'submitted', 'not_submitted', 'unknown', 'rejected'],
    description:
      'submitted: the carrier took it; not_submitted: the carrier provably did not (the next connector of the route was tried); unknown: no answer came (only this connector is tried again); rejected: refused for good',
  })
  outcome!: string;
  @ApiProperty({ nullable: true, type: String, description: "The carrier's message id, for a submitted attempt" })
  provider_message_id!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Why the attempt did not go through' }) error!: string | null;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
}

/** A message with its status timeline and its attempts on connectors, oldest first. */
export class MessageWithTimelineDto extends MessageDto {
  @ApiProperty({ type: [StatusEventDto] }) timeline!: StatusEventDto[];
  @ApiProperty({ type: [SubmissionDto], description: 'Attempts to hand the message to a connector (empty for inbound messages)' })
  submissions!: SubmissionDto[];
}

/** A page of messages, newest first; pass `next_cursor` as `cursor` for the next page. */
export class MessagePageDto {
  @ApiProperty({ type: [MessageDto] }) data!: MessageDto[];
  @ApiPropertyOptional({ nullable: true, type: String }) next_cursor!: string | null;
}
