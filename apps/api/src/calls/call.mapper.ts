import type { CallEntity, CallEventEntity, RecordingEntity } from '@gw/database';
import type { CallDto, CallEventDto, RecordingDto } from './dto/call.dto';

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

export function toCallDto(c: CallEntity): CallDto {
  return {
    id: c.id,
    direction: c.direction,
    status: c.status,
    hangup_cause: c.hangupCause,
    to: c.to,
    from: c.from,
    flow_id: c.flowId,
    flow_version: c.flowVersion,
    status_callback: c.statusCallback,
    timeout: c.timeoutS,
    time_limit: c.timeLimitS,
    duration_s: c.durationS,
    answered_at: iso(c.answeredAt),
    ended_at: iso(c.endedAt),
    created_at: new Date(c.createdAt).toISOString(),
  };
}

export function toCallEventDto(e: CallEventEntity): CallEventDto {
  return {
    seq: e.seq,
    kind: e.kind,
    from_status: e.fromStatus,
    event: e.event,
    to_status: e.toStatus,
    step: e.step,
    detail: e.detail,
    occurred_at: new Date(e.occurredAt).toISOString(),
  };
}

export function toRecordingDto(r: RecordingEntity): RecordingDto {
  return {
    id: r.id,
    duration_s: r.durationS,
    content_type: r.contentType,
    size_bytes: r.sizeBytes,
    url: `/v1/calls/${r.callId}/recordings/${r.id}`,
    created_at: new Date(r.createdAt).toISOString(),
  };
}
