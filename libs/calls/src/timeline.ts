import { EntityManager } from 'typeorm';
import { CallEntity, CallEventEntity, CallStatus } from '@gw/database';
import { correlationHeaders, EventTypes, Topics } from '@gw/kafka';
import { writeOutbox } from '@gw/outbox';
import { withinTrace } from '@gw/tracing';
import { canTransitionCall, isTerminalCall } from './status';

/** A non-transition timeline entry: a verb started/finished, DTMF, a recording, or a note. */
export interface TimelineEntry {
  kind: 'verb_started' | 'verb_finished' | 'dtmf' | 'recording' | 'note';
  event?: string;
  step?: Record<string, unknown> | null;
  detail?: Record<string, unknown> | null;
}

/** A status transition request: `event` names what caused it (e.g. `ari.StasisStart`, `api.hangup`). */
export interface CallTransition {
  callId: string;
  to: CallStatus;
  event: string;
  hangupCause?: string | null;
  detail?: Record<string, unknown> | null;
  correlationId?: string;
}

/** Payload of `call.status_changed` events and the `data` of call status callbacks. */
export interface CallEventPayload extends Record<string, unknown> {
  id: string;
  project_id: string;
  direction: string;
  status: CallStatus;
  previous_status: CallStatus | null;
  to: string;
  from: string;
  hangup_cause: string | null;
  duration_s: number | null;
  status_callback: string | null;
  occurred_at: string;
}

/** One call_events row as insertEvents writes it; `occurred_at` is an ISO time. */
interface EventRow {
  kind: CallEventEntity['kind'];
  from_status: string | null;
  event: string | null;
  to_status: string | null;
  step: Record<string, unknown> | null;
  detail: Record<string, unknown> | null;
  occurred_at: string;
}

/**
 * Inserts rows in one statement, numbered after the call's last entry; the caller's transaction
 * must hold the call row lock (see `lockCall`), which keeps concurrent writers' numbers apart.
 */
async function insertEvents(tx: EntityManager, callId: string, rows: EventRow[]): Promise<void> {
  if (!rows.length) return;
  await tx.query(
    `INSERT INTO call_events (id, call_id, seq, kind, from_status, event, to_status, step, detail, occurred_at)
     SELECT gen_random_uuid(), $1, base.seq + e.n, e.kind, e.from_status, e.event, e.to_status, e.step, e.detail, e.occurred_at
       FROM (SELECT COALESCE(MAX(seq), 0) AS seq FROM call_events WHERE call_id = $1) base,
            ROWS FROM (jsonb_to_recordset($2::jsonb) AS (kind text, from_status text, event text, to_status text, step jsonb,
                                                         detail jsonb, occurred_at timestamptz))
              WITH ORDINALITY AS e(kind, from_status, event, to_status, step, detail, occurred_at, n)`,
    [callId, JSON.stringify(rows)],
  );
}

/** Appends timeline entries (one INSERT); the caller's transaction must hold the call row lock (see `lockCall`). */
export async function appendTimeline(tx: EntityManager, callId: string, entries: TimelineEntry[]): Promise<void> {
  const at = new Date().toISOString();
  await insertEvents(
    tx,
    callId,
    entries.map((e) => ({
      kind: e.kind,
      from_status: null,
      event: e.event ?? null,
      to_status: null,
      step: e.step ?? null,
      detail: e.detail ?? null,
      occurred_at: at,
    })),
  );
}

/** Locks a call row for the rest of `tx` (serializes timeline sequence numbers and transitions). */
export async function lockCall(tx: EntityManager, callId: string): Promise<CallEntity | null> {
  return tx.getRepository(CallEntity).createQueryBuilder('c').setLock('pessimistic_write').where('c.id = :callId', { callId }).getOne();
}

/**
 * Applies a status transition inside `tx` when CALL_STATE_MACHINE allows it (see canTransitionCall):
 * updates the call (answered_at on in-progress; ended_at, duration_s and hangup_cause on a terminal
 * status), appends the timeline row (from / event / to) and a `call.status_changed` outbox event,
 * written in the call's trace (its `traceparent`) whatever ARI event or request caused it.
 * Returns false (and writes nothing) for regressions, repeats and unknown calls.
 */
export async function transitionCall(tx: EntityManager, t: CallTransition): Promise<boolean> {
  const call = await lockCall(tx, t.callId);
  if (!call || !canTransitionCall(call.status, t.to)) return false;
  const now = new Date();
  const previous = call.status;
  call.status = t.to;
  call.updatedAt = now;
  if (t.to === 'in-progress') call.answeredAt = now;
  if (isTerminalCall(t.to)) {
    call.endedAt = now;
    call.hangupCause = t.hangupCause ?? call.hangupCause;
    call.durationS = call.answeredAt ? Math.max(0, Math.round((now.getTime() - new Date(call.answeredAt).getTime()) / 1000)) : 0;
    call.owner = null;
    call.leaseExpiresAt = null;
  }
  await tx.update(
    CallEntity,
    { id: call.id },
    {
      status: call.status,
      updatedAt: now,
      answeredAt: call.answeredAt,
      endedAt: call.endedAt,
      hangupCause: call.hangupCause,
      durationS: call.durationS,
      owner: call.owner,
      leaseExpiresAt: call.leaseExpiresAt,
    },
  );
  await insertEvents(tx, call.id, [
    {
      kind: 'transition',
      from_status: previous,
      event: t.event,
      to_status: t.to,
      step: null,
      detail: t.detail ?? (t.hangupCause ? { hangup_cause: t.hangupCause } : null),
      occurred_at: now.toISOString(),
    },
  ]);
  const payload: CallEventPayload = {
    id: call.id,
    project_id: call.projectId,
    direction: call.direction,
    status: call.status,
    previous_status: previous,
    to: call.to,
    from: call.from,
    hangup_cause: call.hangupCause,
    duration_s: call.durationS,
    status_callback: call.statusCallback,
    occurred_at: now.toISOString(),
  };
  await withinTrace(call.traceparent, () =>
    writeOutbox(tx, [
      {
        topic: Topics.CallEvents,
        key: call.id,
        type: EventTypes.CallStatusChanged,
        payload,
        headers: correlationHeaders(t.correlationId),
      },
    ]),
  );
  return true;
}
