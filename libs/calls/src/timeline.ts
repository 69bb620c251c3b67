import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { CallEntity, CallEventEntity, CallStatus } from '@gw/database';
import { correlationHeaders, EventTypes, Topics } from '@gw/kafka';
import { writeOutbox } from '@gw/outbox';
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

async function nextSeq(tx: EntityManager, callId: string): Promise<number> {
  const [{ seq }] = await tx.query(`SELECT COALESCE(MAX(seq), 0) + 1 AS seq FROM call_events WHERE call_id = $1`, [callId]);
  return Number(seq);
}

interface EventRow {
  kind: CallEventEntity['kind'];
  fromStatus: string | null;
  event: string | null;
  toStatus: string | null;
  step: Record<string, unknown> | null;
  detail: Record<string, unknown> | null;
  occurredAt: Date;
}

async function insertEvent(tx: EntityManager, callId: string, row: EventRow): Promise<void> {
  await tx.query(
    `INSERT INTO call_events (id, call_id, seq, kind, from_status, event, to_status, step, detail, occurred_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9::jsonb, $10)`,
    [
      randomUUID(),
      callId,
      await nextSeq(tx, callId),
      row.kind,
      row.fromStatus,
      row.event,
      row.toStatus,
      row.step ? JSON.stringify(row.step) : null,
      row.detail ? JSON.stringify(row.detail) : null,
      row.occurredAt,
    ],
  );
}

/**
 * Appends timeline entries in one INSERT, numbered after the call's last entry and stamped with the
 * transaction's time; the caller's transaction must hold the call row lock (see `lockCall`), which
 * keeps the sequence numbers of concurrent writers apart.
 */
export async function appendTimeline(tx: EntityManager, callId: string, entries: TimelineEntry[]): Promise<void> {
  if (!entries.length) return;
  const rows = entries.map((e) => ({ kind: e.kind, event: e.event ?? null, step: e.step ?? null, detail: e.detail ?? null }));
  await tx.query(
    `INSERT INTO call_events (id, call_id, seq, kind, event, step, detail, occurred_at)
     SELECT gen_random_uuid(), $1, base.seq + e.n, e.kind, e.event, e.step, e.detail, now()
       FROM (SELECT COALESCE(MAX(seq), 0) AS seq FROM call_events WHERE call_id = $1) base,
            ROWS FROM (jsonb_to_recordset($2::jsonb) AS (kind text, event text, step jsonb, detail jsonb))
              WITH ORDINALITY AS e(kind, event, step, detail, n)`,
    [callId, JSON.stringify(rows)],
  );
}

/** Locks a call row for the rest of `tx` (serializes timeline sequence numbers and transitions). */
export async function lockCall(tx: EntityManager, callId: string): Promise<CallEntity | null> {
  return tx.getRepository(CallEntity).createQueryBuilder('c').setLock('pessimistic_write').where('c.id = :callId', { callId }).getOne();
}

/**
 * Applies a status transition inside `tx` when CALL_STATE_MACHINE allows it (see canTransitionCall):
 * updates the call (answered_at on in-progress; ended_at, duration_s and hangup_cause on a terminal
 * status), appends the timeline row (from / event / to) and a `call.status_changed` outbox event.
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
  await insertEvent(tx, call.id, {
    kind: 'transition',
    fromStatus: previous,
    event: t.event,
    toStatus: t.to,
    step: null,
    detail: t.detail ?? (t.hangupCause ? { hangup_cause: t.hangupCause } : null),
    occurredAt: now,
  });
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
  await writeOutbox(tx, [
    {
      topic: Topics.CallEvents,
      key: call.id,
      type: EventTypes.CallStatusChanged,
      payload,
      headers: correlationHeaders(t.correlationId),
    },
  ]);
  return true;
}
