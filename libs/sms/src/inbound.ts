import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { MessageEntity, MessageStatusEventEntity, newId, PhoneNumberEntity } from '@gw/database';
import { correlationHeaders, EventTypes, Topics } from '@gw/kafka';
import { writeOutbox } from '@gw/outbox';
import { analyzeText, isE164 } from '@gw/sms-text';
import { parseKeyword } from './keywords';
import type { SmsKeyword } from './keywords';
import { applyMoKeyword, MoKeywordRepository } from './mo-keywords';
import { messageEventPayload } from './record-status';

/** An MO as a carrier adapter normalized it; `from`/`to` E.164 when the carrier gave digits. */
export interface InboundMo {
  providerMessageId: string;
  from: string;
  to: string;
  text: string;
}

/** What became of an MO: recorded, a redelivery of one already recorded, or to a number no project owns. */
export type InboundOutcome = 'applied' | 'duplicate' | 'unowned_number';

const keywords = new MoKeywordRepository();

/**
 * Records an MO as an inbound message of the project owning its `to` number, applies its keyword
 * if it is one (STOP, START, HELP ...: parseKeyword, applyMoKeyword) and appends its
 * `message.received` event (whose `keyword_action` says what the keyword did), all in one
 * transaction. `provider` is the carrier kind (`jasmin`, `kannel`, `smpp`): with the carrier's id
 * it makes the MO unique, so a redelivered MO changes nothing and gets no second reply.
 */
export async function recordInbound(ds: DataSource, provider: string, mo: InboundMo, correlationId?: string): Promise<InboundOutcome> {
  // Only a handset's number can be opted out or answered; an alphanumeric source cannot take a reply.
  const keyword = isE164(mo.from) ? parseKeyword(mo.text) : null;
  return ds.transaction(async (tx) => {
    const owner = await tx.findOneBy(PhoneNumberEntity, { e164: mo.to });
    if (!owner) return 'unowned_number';
    const inserted = await insertInbound(tx, owner.projectId, provider, mo, keyword);
    if (!inserted) return 'duplicate';
    if (keyword) await applyMoKeyword(tx, keywords, inserted, keyword, correlationId);
    await writeOutbox(tx, [
      {
        topic: Topics.SmsEvents,
        key: inserted.id,
        type: EventTypes.MessageReceived,
        payload: { ...messageEventPayload(inserted, null, {}, inserted.createdAt), body: inserted.body },
        headers: correlationHeaders(correlationId),
      },
    ]);
    return 'applied';
  });
}

async function insertInbound(
  tx: EntityManager,
  projectId: string,
  provider: string,
  mo: InboundMo,
  keyword: SmsKeyword | null,
): Promise<MessageEntity | null> {
  const text = analyzeText(mo.text);
  const now = new Date();
  const message = tx.create(MessageEntity, {
    id: newId('msg'),
    projectId,
    direction: 'inbound',
    to: mo.to,
    from: mo.from,
    body: mo.text,
    encoding: text.encoding,
    segments: Math.max(1, text.segments),
    status: 'received',
    statusCallback: null,
    validityPeriod: null,
    provider,
    providerMessageId: mo.providerMessageId,
    connectorId: null,
    errorCode: null,
    errorMessage: null,
    keywordAction: keyword?.action ?? null,
    systemReply: false,
    createdAt: now,
    updatedAt: now,
  });
  const rows: unknown[] = await tx.query(
    `INSERT INTO messages (id, project_id, direction, to_number, from_number, body, encoding, segments, status, provider, provider_message_id,
                           keyword_action, created_at, updated_at)
     VALUES ($1, $2, 'inbound', $3, $4, $5, $6, $7, 'received', $8, $9, $11, $10, $10)
     ON CONFLICT (provider, provider_message_id) WHERE direction = 'inbound' DO NOTHING RETURNING id`,
    [
      message.id,
      projectId,
      message.to,
      message.from,
      message.body,
      message.encoding,
      message.segments,
      message.provider,
      message.providerMessageId,
      now,
      message.keywordAction,
    ],
  );
  if (rows.length === 0) return null;
  await tx.insert(MessageStatusEventEntity, {
    id: randomUUID(),
    messageId: message.id,
    fromStatus: null,
    status: 'received',
    source: 'mo',
    carrierStatus: null,
    carrierCode: null,
    description: `received from ${provider}`,
    connectorId: null,
    occurredAt: now,
  });
  return message;
}
