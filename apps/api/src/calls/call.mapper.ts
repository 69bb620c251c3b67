import { callStateGraph, callStateMermaid, isTerminalCall } from '@gw/calls';
import type { CallEntity, CallEventEntity, RecordingEntity } from '@gw/database';
import { CallState, Command, currentCommand, FlowRuntimeError } from '@gw/flow';
import type { CallDto, CallEventDto, CallStateMachineDto, CurrentVerb, RecordingDto } from './dto/call.dto';

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

/**
 * The verb of the command the call's flow is on, from its saved interpreter state (see CallDto
 * `current_verb`); null when the call ended, the flow has not started or no command is outstanding.
 */
export function currentVerbOf(c: CallEntity): CurrentVerb | null {
  if (c.endedAt || isTerminalCall(c.status) || !c.interpreterState) return null;
  let command: Command | null;
  try {
    command = currentCommand(c.interpreterState as unknown as CallState);
  } catch (err) {
    // A state this interpreter cannot read (another version wrote it) names no verb; reading the call must still work.
    if (err instanceof FlowRuntimeError) return null;
    throw err;
  }
  if (!command) return null;
  return command.kind === 'fetch' ? command.purpose : command.kind;
}

/** A call as the api shows it; who drives it (`replica`, `lease_expires_at`) only while it is live. */
export function toCallDto(c: CallEntity): CallDto {
  const live = !c.endedAt && !isTerminalCall(c.status);
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
    timeline_redacted_at: iso(c.timelineRedactedAt ?? null),
    replica: live ? c.owner : null,
    ari_server: c.ariServer,
    current_verb: currentVerbOf(c),
    lease_expires_at: live && c.owner ? iso(c.leaseExpiresAt) : null,
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
    deleted_at: iso(r.deletedAt ?? null),
  };
}

/** The call state machine (graph and Mermaid text); it never changes while the api runs. */
export const CALL_STATE_MACHINE_DTO: CallStateMachineDto = { ...callStateGraph(), mermaid: callStateMermaid() };
