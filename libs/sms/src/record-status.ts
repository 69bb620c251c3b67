import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { MessageEntity } from '@gw/database';
import type { MessageStatus } from '@gw/database';
import { EventTypes, Topics } from '@gw/kafka';
import { writeOutbox } from '@gw/outbox';
import { canTransition } from './status';

/** Who reported a status: the api (accepted), the connector (submission), a DLR, or an MO. */
export type StatusSource = 'api' | 'connector' | 'dlr' | 'mo';

/** A status report for one message. Carrier fields keep what the carrier said verbatim. */
export interface StatusReport {
  messageId: string;
  status: MessageStatus;
  source: StatusSource;
  carrierStatus?: string | null;
  carrierCode?: string | null;
  description?: string | null;
  providerMessageId?: string | null;
  errorCode?: string | null;
  errorMessage?: string | null;
  correlationId?: string;
}

/** Outcome of `recordStatus`: `applied` false for duplicates, regressions and unknown messages. */
export interface StatusResult {
  applied: boolean;
  found: boolean;
  previous?: MessageStatus;
}

/** Payload of `message.status_changed` / `message.received` events, also the callback `data`. */
export interface MessageEventPayload extends Record<string, unknown> {
  id: string;
  project_id: string;
  direction: string;
  status: MessageStatus;
  previous_status: MessageStatus | null;
  to: string;
  from: string;
  encoding: string;
  segments: number;
  status_callback: string | null;
  error_code: string | null;
  error_message: string | null;
  carrier_status: string | null;
  carrier_code: string | null;
  occurred_at: string;
}

/** Builds the event payload for a message's current state. */
export function messageEventPayload(
  m: MessageEntity,
  previous: MessageStatus | null,
  report: Pick<StatusReport, 'carrierStatus' | 'carrierCode'>,
  occurredAt: Date,
): MessageEventPayload {
  return {
    id: m.id,
    project_id: m.projectId,
    direction: m.direction,
    status: m.status,
    previous_status: previous,
    to: m.to,
    from: m.from,
    encoding: m.encoding,
    segments: m.segments,
    status_callback: m.statusCallback,
    error_code: m.errorCode,
    error_message: m.errorMessage,
    carrier_status: report.carrierStatus ?? null,
    carrier_code: report.carrierCode ?? null,
    occurred_at: occurredAt.toISOString(),
  };
}

/**
 * Applies a status report inside `tx`: locks the message row, applies the transition only if it
 * is progress (see `canTransition`), appends the timeline row and a `message.status_changed`
 * outbox event. Duplicates and regressions change nothing and write nothing (provider id aside,
 * which is stored the first time it is seen).
 */
export async function recordStatus(tx: EntityManager, report: StatusReport): Promise<StatusResult> {
  const rows: Array<Record<string, unknown>> = await tx.query(`SELECT status FROM messages WHERE id = $1 FOR UPDATE`, [report.messageId]);
  if (rows.length === 0) return { applied: false, found: false };
  const previous = rows[0].status as MessageStatus;
  if (!canTransition(previous, report.status)) {
    if (report.providerMessageId) {
      await tx.query(`UPDATE messages SET provider_message_id = $2 WHERE id = $1 AND provider_message_id IS NULL`, [
        report.messageId,
        report.providerMessageId,
      ]);
    }
    return { applied: false, found: true, previous };
  }
  const now = new Date();
  const patch: Partial<MessageEntity> = { status: report.status, updatedAt: now };
  if (report.errorCode !== undefined) patch.errorCode = report.errorCode;
  if (report.errorMessage !== undefined) patch.errorMessage = report.errorMessage;
  await tx.update(MessageEntity, { id: report.messageId }, patch);
  if (report.providerMessageId) {
    await tx.query(`UPDATE messages SET provider_message_id = $2 WHERE id = $1 AND provider_message_id IS NULL`, [
      report.messageId,
      report.providerMessageId,
    ]);
  }
  const message = await tx.findOneByOrFail(MessageEntity, { id: report.messageId });
  await tx.query(
    `INSERT INTO message_status_events (id, message_id, from_status, status, source, carrier_status, carrier_code, description, occurred_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      randomUUID(),
      report.messageId,
      previous,
      report.status,
      report.source,
      report.carrierStatus ?? null,
      report.carrierCode ?? null,
      report.description ?? null,
      now,
    ],
  );
  await writeOutbox(tx, [
    {
      topic: Topics.SmsEvents,
      key: message.id,
      type: EventTypes.MessageStatusChanged,
      payload: messageEventPayload(message, previous, report, now),
      headers: report.correlationId ? { 'correlation-id': report.correlationId } : {},
    },
  ]);
  return { applied: true, found: true, previous };
}
