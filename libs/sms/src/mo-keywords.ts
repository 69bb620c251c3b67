import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { MessageEntity, newId } from '@gw/database';
import type { KeywordAction, OptOutScope } from '@gw/database';
import { correlationHeaders, EventTypes, Topics } from '@gw/kafka';
import { outboxInsert } from '@gw/outbox';
import { analyzeText } from '@gw/sms-text';
import { traceparentOf } from '@gw/tracing';
import { DEFAULT_MESSAGING_SETTINGS, KeywordSettings, replyTextFor, SmsKeyword } from './keywords';

/**
 * The SQL of MO keywords, always inside the transaction `tx` that records the MO, so the MO, its
 * opt-out (or opt-in) and its system reply commit together or not at all.
 */
export class MoKeywordRepository {
  /** The project's keyword settings; DEFAULT_MESSAGING_SETTINGS when the operator set none. */
  async settingsOf(tx: EntityManager, projectId: string): Promise<KeywordSettings> {
    const rows: KeywordSettings[] = await tx.query(
      `SELECT opt_out_scope AS "optOutScope", help_text AS "helpText", stop_confirmation AS "stopConfirmation",
              start_confirmation AS "startConfirmation"
         FROM project_messaging_settings WHERE project_id = $1`,
      [projectId],
    );
    return rows[0] ?? DEFAULT_MESSAGING_SETTINGS;
  }

  /**
   * Opts `phone` (E.164) out of `sender`, or of the whole project when `sender` is null; a handset
   * already opted out keeps its first row (and its first MO).
   */
  async optOut(
    tx: EntityManager,
    o: { projectId: string; phone: string; sender: string | null; keyword: string; messageId: string },
  ): Promise<void> {
    await tx.query(
      `INSERT INTO opt_outs (id, project_id, phone, sender, source, keyword, message_id) VALUES ($1, $2, $3, $4, 'keyword', $5, $6)
       ON CONFLICT (project_id, phone, sender) DO NOTHING`,
      [newId('opt'), o.projectId, o.phone, o.sender, o.keyword, o.messageId],
    );
  }

  /**
   * Lifts every opt-out that keeps MTs from `sender` off `phone`: its own and the project-wide
   * one; with `sender` null (project scope), every opt-out of `phone` in the project.
   */
  async optIn(tx: EntityManager, o: { projectId: string; phone: string; sender: string | null }): Promise<void> {
    await tx.query(`DELETE FROM opt_outs WHERE project_id = $1 AND phone = $2 AND ($3::text IS NULL OR sender = $3 OR sender IS NULL)`, [
      o.projectId,
      o.phone,
      o.sender,
    ]);
  }

  /**
   * Writes a system reply as the api writes an accepted MT: the message (`queued`), its first
   * timeline row (source `system`) and its `message.requested` outbox event on sms.outbound.v1,
   * in one statement; the reply's receipt is traced under the active trace context (the MO's).
   */
  async insertSystemReply(tx: EntityManager, reply: MessageEntity, correlationId?: string): Promise<void> {
    const outbox = outboxInsert(
      [
        {
          topic: Topics.SmsOutbound,
          key: reply.id,
          type: EventTypes.MessageRequested,
          payload: { message_id: reply.id, project_id: reply.projectId },
          headers: correlationHeaders(correlationId),
        },
      ],
      13,
    );
    await tx.query(
      `WITH m AS (
         INSERT INTO messages (id, project_id, direction, to_number, from_number, body, encoding, segments, status,
                               keyword_action, system_reply, created_at, updated_at, traceparent)
         VALUES ($1, $2, 'outbound', $3, $4, $5, $6, $7, 'queued', $8, true, $9, $9, $12)
       ), e AS (
         INSERT INTO message_status_events (id, message_id, from_status, status, source, description, occurred_at)
         VALUES ($10::uuid, $1, NULL, 'queued', 'system', $11, $9)
       )
       ${outbox.sql}`,
      [
        reply.id,
        reply.projectId,
        reply.to,
        reply.from,
        reply.body,
        reply.encoding,
        reply.segments,
        reply.keywordAction,
        reply.createdAt,
        randomUUID(),
        `system reply to ${reply.keywordAction}`,
        traceparentOf(),
        ...outbox.params,
      ],
    );
  }
}

/** Who a keyword opts the handset in or out of: the sender it wrote to, or (null) the whole project. */
function senderInScope(scope: OptOutScope, mo: MessageEntity): string | null {
  return scope === 'project' ? null : mo.to;
}

/** The MT answering `mo` with `body`: from the number the MO was sent to, back to the handset. */
function systemReplyTo(mo: MessageEntity, action: KeywordAction, body: string): MessageEntity {
  const text = analyzeText(body);
  const now = new Date();
  return {
    id: newId('msg'),
    projectId: mo.projectId,
    direction: 'outbound',
    to: mo.from,
    from: mo.to,
    body,
    encoding: text.encoding,
    segments: Math.max(1, text.segments),
    status: 'queued',
    statusCallback: null,
    validityPeriod: null,
    provider: null,
    connectorId: null,
    providerMessageId: null,
    errorCode: null,
    errorMessage: null,
    keywordAction: action,
    systemReply: true,
    createdAt: now,
    updatedAt: now,
  };
}

/**
 * Applies an MO keyword inside `tx`, the transaction that recorded `mo` (the MO row, whose `to` is
 * the project's number and `from` the handset, E.164): an opt-out keyword opts the handset out
 * of `mo.to` (or of the project, per its `opt_out_scope`), an opt-in keyword lifts that, and
 * every keyword is answered with one system reply MT from `mo.to` (STOP/START confirmation, HELP
 * text). The reply is written regardless of opt-outs: only the api's MT path checks them, so a
 * STOP confirmation reaches the handset that just opted out. Returns the reply as written.
 */
export async function applyMoKeyword(
  tx: EntityManager,
  repo: MoKeywordRepository,
  mo: MessageEntity,
  keyword: SmsKeyword,
  correlationId?: string,
): Promise<MessageEntity> {
  const settings = await repo.settingsOf(tx, mo.projectId);
  const sender = senderInScope(settings.optOutScope, mo);
  if (keyword.action === 'opt_out') {
    await repo.optOut(tx, { projectId: mo.projectId, phone: mo.from, sender, keyword: keyword.keyword, messageId: mo.id });
  } else if (keyword.action === 'opt_in') {
    await repo.optIn(tx, { projectId: mo.projectId, phone: mo.from, sender });
  }
  const reply = systemReplyTo(mo, keyword.action, replyTextFor(keyword.action, settings));
  await repo.insertSystemReply(tx, reply, correlationId);
  return reply;
}
