import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, ApiConfig } from '@gw/config';
import { DATA_SOURCE, MessageEntity, newId } from '@gw/database';
import { DomainError } from '@gw/errors';
import { EventTypes, Topics } from '@gw/kafka';
import { outboxInsert } from '@gw/outbox';
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
 * Accepts an MT message: computes encoding and segments (GSM 03.38), then atomically writes the
 * message (status `queued`), its first timeline row and the `message.requested` outbox event (one
 * statement), plus the idempotency record when a key is given (one transaction). Never calls a carrier.
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
    const now = new Date();
    const message: MessageEntity = {
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
    };
    const response: StoredResponse = { status: 201, body: toMessageDto(message) };
    if (!cmd.idempotencyKey) {
      await this.ds.query(...acceptStatement(message, cmd.correlationId));
      return { ...response, replayed: false };
    }
    const key = cmd.idempotencyKey;
    const hash = requestHash('POST /v1/messages', request);
    return this.ds.transaction(async (tx) => {
      const stored = await claimIdempotencyKey(tx, cmd.projectId, key, hash);
      if (stored) return { ...stored, replayed: true };
      await tx.query(...acceptStatement(message, cmd.correlationId));
      await saveIdempotentResponse(tx, cmd.projectId, key, hash, response);
      return { ...response, replayed: false };
    });
  }
}

/**
 * One statement (so one round trip and, on its own, one transaction) that writes the message, its
 * first timeline row and its `message.requested` outbox event.
 */
function acceptStatement(m: MessageEntity, correlationId?: string): [string, unknown[]] {
  const outbox = outboxInsert(
    [
      {
        topic: Topics.SmsOutbound,
        key: m.id,
        type: EventTypes.MessageRequested,
        payload: { message_id: m.id, project_id: m.projectId },
        headers: correlationId ? { 'correlation-id': correlationId } : {},
      },
    ],
    13,
  );
  const sql = `WITH m AS (
      INSERT INTO messages (id, project_id, direction, to_number, from_number, body, encoding, segments, status,
                            status_callback, validity_period, created_at, updated_at)
      VALUES ($1, $2, 'outbound', $3, $4, $5, $6, $7, 'queued', $8, $9, $10, $10)
    ), e AS (
      INSERT INTO message_status_events (id, message_id, from_status, status, source, description, occurred_at)
      VALUES ($11, $1, NULL, 'queued', 'api', $12, $10)
    )
    ${outbox.sql}`;
  return [
    sql,
    [
      m.id,
      m.projectId,
      m.to,
      m.from,
      m.body,
      m.encoding,
      m.segments,
      m.statusCallback,
      m.validityPeriod,
      m.createdAt,
      randomUUID(),
      'accepted',
      ...outbox.params,
    ],
  ];
}
