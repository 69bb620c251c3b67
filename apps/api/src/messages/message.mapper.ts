import type { MessageEntity, MessageStatusEventEntity, MessageSubmissionEntity } from '@gw/database';
import type { MessageDto, StatusEventDto, SubmissionDto } from './dto/message.dto';

/** Entity -> API shape (snake_case, ISO-8601 times, internal columns left out). */
export function toMessageDto(m: MessageEntity): MessageDto {
  return {
    id: m.id,
    direction: m.direction,
    status: m.status,
    to: m.to,
    from: m.from,
    body: m.body,
    encoding: m.encoding,
    segments: m.segments,
    status_callback: m.statusCallback,
    validity_period: m.validityPeriod,
    error_code: m.errorCode,
    error_message: m.errorMessage,
    keyword_action: m.keywordAction,
    system_reply: m.systemReply,
    created_at: new Date(m.createdAt).toISOString(),
    updated_at: new Date(m.updatedAt).toISOString(),
    redacted_at: m.redactedAt ? new Date(m.redactedAt).toISOString() : null,
  };
}

export function toStatusEventDto(e: MessageStatusEventEntity): StatusEventDto {
  return {
    status: e.status,
    from_status: e.fromStatus,
    source: e.source,
    carrier_status: e.carrierStatus,
    carrier_code: e.carrierCode,
    description: e.description,
    connector_id: e.connectorId,
    occurred_at: new Date(e.occurredAt).toISOString(),
  };
}

export function toSubmissionDto(s: MessageSubmissionEntity): SubmissionDto {
  return {
    attempt: s.attempt,
    connector_id: s.connectorId,
    outcome: s.outcome,
    provider_message_id: s.providerMessageId,
    error: s.error,
    created_at: new Date(s.createdAt).toISOString(),
  };
}
