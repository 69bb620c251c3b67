import { DataSource } from 'typeorm';
import type { SmsConnector } from '@gw/connectors';
import { GiveUpKind, PermanentError } from '@gw/queues';
import { isTerminal, readMessage, recordStatus } from '@gw/sms';
import { signToken } from '@gw/security';
import { SubmitWindow } from './submit-window';

/** Data of a `sms-submit` job: the message to submit, and the correlation id of the request that created it. */
export interface SubmitJob {
  message_id: string;
  correlation_id?: string;
}

/** Builds the dlr-url for a message: `<base>/webhooks/jasmin/dlr?msg=<id>&token=<HMAC(id)>`. */
export function dlrUrlFor(baseUrl: string, secret: string, messageId: string): string {
  const url = new URL('/webhooks/jasmin/dlr', baseUrl);
  url.searchParams.set('msg', messageId);
  url.searchParams.set('token', signToken(secret, messageId));
  return url.toString();
}

/**
 * Submits one MT message through the connector. Idempotent per message: a message already handed
 * to the gateway (provider id stored) or already final is not submitted again, so redelivered
 * events and re-run jobs do not send twice. The one window left is a crash after the gateway
 * accepted and before the id is stored: the retry then submits again (at-least-once there).
 * With a SubmitWindow, a message waits for a place in it before it becomes `sending`, so
 * `sending` means handed to the SMS gateway, not waiting for it.
 */
export class SubmitMessageUseCase {
  constructor(
    private readonly ds: DataSource,
    private readonly connector: SmsConnector,
    private readonly dlr: { baseUrl: string; secret: string },
    private readonly window: SubmitWindow = SubmitWindow.off(),
  ) {}

  /** @throws RetryableError | PermanentError from the connector. */
  async submit(job: SubmitJob): Promise<'submitted' | 'skipped'> {
    const message = await readMessage(this.ds.manager, job.message_id);
    if (!message || message.direction !== 'outbound' || message.providerMessageId || isTerminal(message.status)) return 'skipped';
    const slot = await this.window.acquire();
    let result: { providerMessageId: string };
    try {
      if (message.status === 'queued') {
        await recordStatus(
          this.ds.manager,
          {
            messageId: message.id,
            status: 'sending',
            source: 'connector',
            description: `submitting to ${this.connector.name}`,
            correlationId: job.correlation_id,
          },
          message,
        );
      }
      result = await this.connector.submit({
        messageId: message.id,
        to: message.to,
        from: message.from,
        body: message.body,
        encoding: message.encoding,
        validityPeriodS: message.validityPeriod,
        dlrUrl: dlrUrlFor(this.dlr.baseUrl, this.dlr.secret, message.id),
      });
    } catch (err) {
      slot.release();
      throw err;
    }
    slot.handedOver(message.id);
    await this.ds.query(
      `UPDATE messages SET provider = $2, provider_message_id = COALESCE(provider_message_id, $3), updated_at = now() WHERE id = $1`,
      [message.id, this.connector.name, result.providerMessageId],
    );
    return 'submitted';
  }

  /** Marks the message failed once retries are exhausted or the error is permanent. */
  async giveUp(job: SubmitJob, kind: GiveUpKind, error: Error): Promise<void> {
    const code = error instanceof PermanentError ? error.code : undefined;
    await recordStatus(this.ds.manager, {
      messageId: job.message_id,
      status: 'failed',
      source: 'connector',
      description: kind === 'exhausted' ? 'retries exhausted; moved to the dead-letter queue' : 'rejected by the SMS gateway',
      errorCode: code ?? (kind === 'exhausted' ? 'retries_exhausted' : 'rejected'),
      errorMessage: error.message,
      correlationId: job.correlation_id,
    });
  }
}
