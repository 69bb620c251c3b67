import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { MessageEntity } from '@gw/database';
import type { KeywordAction, MessageStatus } from '@gw/database';
import { correlationHeaders, EventTypes, Topics } from '@gw/kafka';
import { outboxInsert } from '@gw/outbox';
import { canTransition } from './status';

/**
 * Who reported a status: the api (accepted), the connector (submission), a DLR, an MO, or the
 * gateway (system reply accepted; `retention` / `erasure`: an MT failed before it was handed to the
 * SMSC because its body was due for redaction, or its recipient's data was erased).
 */
export type StatusSource = 'api' | 'connector' | 'dlr' | 'mo' | 'system' | 'retention' | 'erasure';

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
  /** The connector of the attempt this report belongs to (`conn_...`), kept on the timeline row. */
  connectorId?: string | null;
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
  /** On an MO, what its keyword did (`opt_out`, `opt_in`, `help`); on a system reply, the action it answers. */
  keyword_action: KeywordAction | null;
  /** True for an MT the gateway wrote itself in answer to an MO keyword. */
  system_reply: boolean;
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
    keyword_action: m.keywordAction,
    system_reply: m.systemReply,
    occurred_at: occurredAt.toISOString(),
  };
}

/** A messages row under MessageEntity's property names: the hot read of every status report, without TypeORM's query builder. */
const READ_MESSAGE = `SELECT id, project_id AS "projectId", direction, to_number AS "to", from_number AS "from", body, encoding,
       segments, status, status_callback AS "statusCallback", validity_period AS "validityPeriod", provider,
       provider_message_id AS "providerMessageId", connector_id AS "connectorId", error_code AS "errorCode", error_message AS "errorMessage",
       keyword_action AS "keywordAction", system_reply AS "systemReply", created_at AS "createdAt", updated_at AS "updatedAt",
       traceparent
  FROM messages WHERE id = $1`;

/** The message `id` under MessageEntity's property names (one plain SELECT), or null when there is none. */
export async function readMessage(db: EntityManager, id: string): Promise<MessageEntity | null> {
  const rows: MessageEntity[] = await db.query(READ_MESSAGE, [id]);
  return rows[0] ?? null;
}

/** Attempts before recordStatus gives up on a row that keeps changing under it (each retry means another report made progress). */
const MAX_RACES = 5;

/**
 * Applies a status report: reads the message, applies the transition only if it is progress (see
 * `canTransition`), and then, in one statement guarded by the status it read, updates the row and
 * appends the timeline row and a `message.status_changed` outbox event. If another report changed
 * the status in between, the guard matches nothing, nothing is written, and the report is
 * re-evaluated against the new status. Duplicates and regressions change nothing and write
 * nothing (provider id aside, which is stored the first time it is seen). Two round trips, no
 * explicit transaction: the single statement is atomic on its own. `db` is the data source's
 * manager or a transaction's; `known` is the message row as the caller just read it, which saves
 * the first read (the guard still catches a change since).
 * @throws Error when the row changed under it MAX_RACES times in a row.
 */
export async function recordStatus(db: EntityManager, report: StatusReport, known?: MessageEntity): Promise<StatusResult> {
  for (let race = 0; race < MAX_RACES; race++) {
    const message = race === 0 && known ? known : await readMessage(db, report.messageId);
    if (!message) return { applied: false, found: false };
    const previous = message.status;
    if (!canTransition(previous, report.status)) {
      if (report.providerMessageId && !message.providerMessageId) {
        await db.query(`UPDATE messages SET provider_message_id = COALESCE(provider_message_id, $2) WHERE id = $1`, [
          report.messageId,
          report.providerMessageId,
        ]);
      }
      return { applied: false, found: true, previous };
    }
    if (await applyTransition(db, message, report)) return { applied: true, found: true, previous };
  }
  throw new Error(`message ${report.messageId} changed status ${MAX_RACES} times while a ${report.status} report was applied`);
}

/** The guarded statement of recordStatus; false when the row's status is no longer `message.status`. */
async function applyTransition(db: EntityManager, message: MessageEntity, report: StatusReport): Promise<boolean> {
  const previous = message.status;
  const now = new Date();
  const next: MessageEntity = {
    ...message,
    status: report.status,
    updatedAt: now,
    errorCode: report.errorCode !== undefined ? report.errorCode : message.errorCode,
    errorMessage: report.errorMessage !== undefined ? report.errorMessage : message.errorMessage,
  };
  const outbox = outboxInsert(
    [
      {
        topic: Topics.SmsEvents,
        key: message.id,
        type: EventTypes.MessageStatusChanged,
        payload: messageEventPayload(next, previous, report, now),
        headers: correlationHeaders(report.correlationId),
      },
    ],
    14,
    'm',
  );
  const rows: unknown[] = await db.query(
    `WITH m AS (
       UPDATE messages SET status = $2, updated_at = $3, error_code = $4, error_message = $5,
              provider_message_id = COALESCE(provider_message_id, $6)
        WHERE id = $1 AND status = $8
       RETURNING id
     ), e AS (
       INSERT INTO message_status_events (id, message_id, from_status, status, source, carrier_status, carrier_code, description, occurred_at,
                                          connector_id)
       SELECT $7::uuid, $1, $8, $2, $9, $10, $11, $12, $3, $13 FROM m
     ), o AS (
       ${outbox.sql}
     )
     SELECT 1 FROM m`,
    [
      message.id,
      next.status,
      now,
      next.errorCode,
      next.errorMessage,
      report.providerMessageId ?? null,
      randomUUID(),
      previous,
      report.source,
      report.carrierStatus ?? null,
      report.carrierCode ?? null,
      report.description ?? null,
      report.connectorId ?? null,
      ...outbox.params,
    ],
  );
  return rows.length > 0;
}
