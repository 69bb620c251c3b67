import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, ApiConfig } from '@gw/config';
import { DATA_SOURCE, MessageEntity, MessageStatusEventEntity, newId } from '@gw/database';
import { DomainError } from '@gw/errors';
import { EventTypes, Topics } from '@gw/kafka';
import { writeOutbox } from '@gw/outbox';
import { analyzeText } from '@gw/sms-text';
import { claimIdempotencyKey, requestHash, saveIdempotentResponse, StoredResponse } from '../idempotency/idempotency';
import type { CreateMessageDto } from './dto/create-message.dto';
import { toMessageDto } from './message.mapper';

/** Command: a validated MT request for a project, with the optional Idempotency-Key and correlation id. */
export interface CreateMessageCommand {
  projectId: string;
  request: CreateMessageDto;
  idempotencyKey?: string;
  correlationId?: string;
}

/**
 * Accepts an MT message: computes encoding and segments (GSM 03.38), then in ONE transaction
 * writes the message (status `queued`), its first timeline row, the `message.requested` outbox
 * event and the idempotency record. Never calls a carrier.
 * @throws DomainError validation_failed (body over MAX_SMS_SEGMENTS), 409/422 idempotency errors.
 */
@Injectable()
export class CreateMessageUseCase {
  constructor(
    @Inject(DATA_SOURCE) private readonly ds: DataSource,
    @Inject(APP_CONFIG) private readonly config: ApiConfig,
  ) {}

  async execute(cmd: CreateMessageCommand): Promise<StoredResponse & { replayed: boolean }> {
    const { request } = cmd;
    const text = analyzeText(request.body);
    if (text.segments > this.config.MAX_SMS_SEGMENTS) {
      throw DomainError.invalid(
        'body',
        `needs ${text.segments} ${text.encoding} segments; at most ${this.config.MAX_SMS_SEGMENTS} are allowed`,
      );
    }
    const hash = requestHash('POST /v1/messages', request);
    return this.ds.transaction(async (tx) => {
      if (cmd.idempotencyKey) {
        const stored = await claimIdempotencyKey(tx, cmd.projectId, cmd.idempotencyKey, hash);
        if (stored) return { ...stored, replayed: true };
      }
      const now = new Date();
      const message = tx.create(MessageEntity, {
        id: newId('msg'),
        projectId: cmd.projectId,
        direction: 'outbound',
        to: request.to,
        from: request.from,
        body: request.body,
        encoding: text.encoding,
        segments: text.segments,
        status: 'queued',
        statusCallback: request.status_callback ?? null,
        validityPeriod: request.validity_period ?? null,
        provider: null,
        providerMessageId: null,
        errorCode: null,
        errorMessage: null,
        createdAt: now,
        updatedAt: now,
      });
      await tx.insert(MessageEntity, message);
      await tx.insert(MessageStatusEventEntity, {
        id: randomUUID(),
        messageId: message.id,
        fromStatus: null,
        status: 'queued',
        source: 'api',
        carrierStatus: null,
        carrierCode: null,
        description: 'accepted',
        occurredAt: now,
      });
      await writeOutbox(tx, [
        {
          topic: Topics.SmsOutbound,
          key: message.id,
          type: EventTypes.MessageRequested,
          payload: { message_id: message.id, project_id: cmd.projectId },
          headers: cmd.correlationId ? { 'correlation-id': cmd.correlationId } : {},
        },
      ]);
      const response: StoredResponse = { status: 201, body: toMessageDto(message) };
      if (cmd.idempotencyKey) await saveIdempotentResponse(tx, cmd.projectId, cmd.idempotencyKey, hash, response);
      return { ...response, replayed: false };
    });
  }
}
