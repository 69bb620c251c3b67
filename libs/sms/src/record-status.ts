import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { MessageEntity } from '@gw/database';
import type { MessageStatus } from '@gw/database';
import { correlationHeaders, EventTypes, Topics } from '@gw/kafka';
import { outboxInsert } from '@gw/outbox';
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
 * which is stored the first time it is seen). Two round trips inside the transaction: the locked
 * read, then one statement that updates the row and writes the timeline row and the outbox
 * event (the new row is known from the locked one, so it is not read again).
 */
export async function recordStatus(tx: EntityManager, report: StatusReport): Promise<StatusResult> {
  const message = await tx
    .getRepository(MessageEntity)
    .createQueryBuilder('m')
    .setLock('pessimistic_write')
    .where('m.id = :id', { id: report.messageId })
    .getOne();
  if (!message) return { applied: false, found: false };
  const previous = message.status;
  if (!canTransition(previous, report.status)) {
    if (report.providerMessageId && !message.providerMessageId) {
      await tx.query(`UPDATE messages SET provider_message_id = $2 WHERE id = $1`, [report.messageId, report.providerMessageId]);
    }
    return { applied: false, found: true, previous };
  }
  const now = new Date();
  message.status = report.status;
  message.updatedAt = now;
  if (report.errorCode !== undefined) message.errorCode = report.errorCode;
  if (report.errorMessage !== undefined) message.errorMessage = report.errorMessage;
  message.providerMessageId = message.providerMessageId ?? report.providerMessageId ?? null;
  const outbox = outboxInsert(
    [
      {
        topic: Topics.SmsEvents,
        key: message.id,
        type: EventTypes.MessageStatusChanged,
        payload: messageEventPayload(message, previous, report, now),
        headers: correlationHeaders(report.correlationId),
      },
    ],
    13,
  );
  await tx.query(
    `WITH m AS (
       UPDATE messages SET status = $2, updated_at = $3, error_code = $4, error_message = $5, provider_message_id = $6 WHERE id = $1
     ), e AS (
       INSERT INTO message_status_events (id, message_id, from_status, status, source, carrier_status, carrier_code, description, occurred_at)
       VALUES ($7, $1, $8, $2, $9, $10, $11, $12, $3)
     )
     ${outbox.sql}`,
    [
      message.id,
      message.status,
      now,
      message.errorCode,
      message.errorMessage,
      message.providerMessageId,
      randomUUID(),
      previous,
      report.source,
      report.carrierStatus ?? null,
      report.carrierCode ?? null,
      report.description ?? null,
      ...outbox.params,
    ],
  );
  return { applied: true, found: true, previous };
}
