import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, ApiConfig } from '@gw/config';
import { DATA_SOURCE, MessageEntity } from '@gw/database';
import { DomainError } from '@gw/errors';
import { analyzeText } from '@gw/sms-text';
import { CallbackUrlPolicy } from '../common/callback-urls';
import { claimIdempotencyKey, requestHash, saveIdempotentResponse, StoredResponse } from '../idempotency/idempotency';
import { SenderPolicy } from '../numbers/sender-policy';
import { OptOutCheck } from '../opt-outs/opt-out-check';
import type { CreateMessageRequest } from './dto/create-message.dto';
import { acceptStatement, newOutboundMessage } from './accept-statement';
import { toMessageDto } from './message.mapper';
import { MessageWriter } from './message-writer';

/** Command: a validated MT request for a project, with the optional Idempotency-Key and correlation id. */
export interface CreateMessageCommand {
  projectId: string;
  request: CreateMessageRequest;
  idempotencyKey?: string;
  correlationId?: string;
}

/**
 * Accepts an MT message: computes encoding and segments (GSM 03.38), then atomically writes the
 * message (status `queued`), its first timeline row and the `message.requested` outbox event (one
 * statement, group-committed with concurrent requests by MessageWriter), or, when a key is given,
 * that statement and the idempotency record in one transaction of its own. Never calls a carrier.
 * `from` must be a number the project owns or an alphanumeric sender id granted to it (SenderPolicy),
 * checked before anything is written; a replay of a stored response is not checked again.
 * A recipient that opted out of `from` or of the project (OptOutCheck) is refused the same way:
 * 422 recipient_opted_out naming `to`, nothing written.
 * @throws DomainError validation_failed (body over MAX_SMS_SEGMENTS, status_callback on a refused
 *   address: CallbackUrlPolicy), forbidden naming `from` (SenderPolicy), 409/422 idempotency errors.
 */
@Injectable()
export class CreateMessageUseCase {
  constructor(
    @Inject(DATA_SOURCE) private readonly ds: DataSource,
    @Inject(APP_CONFIG) private readonly config: ApiConfig,
    private readonly writer: MessageWriter,
    private readonly senders: SenderPolicy,
    private readonly callbackUrls: CallbackUrlPolicy,
    private readonly optOuts: OptOutCheck,
  ) {}

  async execute(cmd: CreateMessageCommand): Promise<StoredResponse & { replayed: boolean }> {
    const { request } = cmd;
    // Absent, it resolves nothing; a host name's addresses are reused for RESOLVED_HOST_TTL_MS.
    await this.callbackUrls.assertDeliverable('status_callback', request.status_callback);
    const text = analyzeText(request.body);
    if (text.segments > this.config.MAX_SMS_SEGMENTS) {
      throw DomainError.invalid(
        'body',
        `needs ${text.segments} ${text.encoding} segments; at most ${this.config.MAX_SMS_SEGMENTS} are allowed`,
      );
    }
    const message = newOutboundMessage({
      projectId: cmd.projectId,
      to: request.to,
      from: request.from,
      body: request.body,
      encoding: text.encoding,
      segments: text.segments,
      statusCallback: request.status_callback,
      validityPeriod: request.validity_period,
    });
    const response: StoredResponse = { status: 201, body: toMessageDto(message) };
    const accepted = { message, correlationId: cmd.correlationId };
    if (!cmd.idempotencyKey) {
      await this.assertMaySend(message);
      await this.writer.write(accepted);
      return { ...response, replayed: false };
    }
    const key = cmd.idempotencyKey;
    const hash = requestHash('POST /v1/messages', request);
    return this.ds.transaction(async (tx) => {
      const stored = await claimIdempotencyKey(tx, cmd.projectId, key, hash);
      if (stored) return { ...stored, replayed: true };
      await this.assertMaySend(message, tx);
      await tx.query(...acceptStatement([accepted]));
      await saveIdempotentResponse(tx, cmd.projectId, key, hash, response);
      return { ...response, replayed: false };
    });
  }

  /**
   * The checks of an MT about to be written (a replay skips them): its sender (SenderPolicy), then
   * its recipient's opt-outs (OptOutCheck); inside a transaction, both ask on `tx`.
   */
  private async assertMaySend(message: MessageEntity, tx?: EntityManager): Promise<void> {
    await this.senders.assertMayUse(message.projectId, message.from, 'sms', tx);
    await this.optOuts.assertNotOptedOut(message, tx);
  }
}
