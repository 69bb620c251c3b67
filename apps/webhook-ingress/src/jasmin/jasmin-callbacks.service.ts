import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { InboundSms, JasminDlrFields, parseJasminDlr, parseJasminMo } from '@gw/connectors';
import { DATA_SOURCE, MessageEntity, MessageStatusEventEntity, newId, PhoneNumberEntity } from '@gw/database';
import { correlationHeaders, EventTypes, Topics } from '@gw/kafka';
import { writeOutbox } from '@gw/outbox';
import { applyMoKeyword, messageEventPayload, MoKeywordRepository, parseKeyword, recordStatus } from '@gw/sms';
import type { SmsKeyword } from '@gw/sms';
import { analyzeText, isE164 } from '@gw/sms-text';

/** What happened to a callback; every outcome is acknowledged to Jasmin so it stops retrying. */
export type CallbackOutcome = 'applied' | 'ignored' | 'unknown_message' | 'unowned_number' | 'duplicate';

/**
 * Applies Jasmin callbacks: a DLR becomes a status transition of the message named in the
 * (verified) dlr-url; an MO becomes an inbound message of the project owning the `to` number,
 * and an MO keyword (STOP, START, HELP ...: see parseKeyword) also opts the handset out or in and
 * is answered with a system reply MT, in the transaction that records the MO.
 */
@Injectable()
export class JasminCallbacksService {
  private readonly logger = new Logger(JasminCallbacksService.name);

  private readonly keywords = new MoKeywordRepository();

  constructor(@Inject(DATA_SOURCE) private readonly ds: DataSource) {}

  /** @throws JasminCallbackError for a malformed DLR (the controller answers 400). */
  async onDlr(messageId: string, fields: JasminDlrFields, correlationId?: string): Promise<CallbackOutcome> {
    const report = parseJasminDlr(fields);
    if (!report) return 'ignored';
    const result = await recordStatus(this.ds.manager, {
      messageId,
      status: report.status,
      source: 'dlr',
      carrierStatus: report.carrierStatus,
      carrierCode: report.carrierCode,
      description: report.description,
      providerMessageId: report.providerMessageId,
      ...(report.status === 'failed' || report.status === 'undelivered'
        ? { errorCode: report.carrierCode ?? report.carrierStatus, errorMessage: report.description }
        : {}),
      correlationId,
    });
    if (!result.found) {
      this.logger.warn({ messageId }, 'DLR for an unknown message');
      return 'unknown_message';
    }
    return result.applied ? 'applied' : 'duplicate';
  }

  /**
   * Records an MO, applies its keyword if it is one (applyMoKeyword) and appends its
   * `message.received` event (whose `keyword_action` says what the keyword did), all in one
   * transaction; a redelivered MO changes nothing and gets no second reply.
   * @throws JasminCallbackError for a malformed MO.
   */
  async onMo(fields: JasminDlrFields, correlationId?: string): Promise<CallbackOutcome> {
    const mo = parseJasminMo(fields);
    // Only a handset's number can be opted out or answered; an alphanumeric source cannot take a reply.
    const keyword = isE164(mo.from) ? parseKeyword(mo.text) : null;
    return this.ds.transaction(async (tx) => {
      const owner = await tx.findOneBy(PhoneNumberEntity, { e164: mo.to });
      if (!owner) {
        this.logger.warn({ to: mo.to }, 'MO to a number no project owns');
        return 'unowned_number';
      }
      const inserted = await this.insertInbound(tx, owner.projectId, mo, keyword);
      if (!inserted) return 'duplicate';
      if (keyword) await applyMoKeyword(tx, this.keywords, inserted, keyword, correlationId);
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

  private async insertInbound(
    tx: EntityManager,
    projectId: string,
    mo: InboundSms,
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
      provider: 'jasmin',
      providerMessageId: mo.providerMessageId,
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
      description: 'received from the SMS gateway',
      occurredAt: now,
    });
    return message;
  }
}
