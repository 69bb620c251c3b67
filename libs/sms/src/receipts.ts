import { EntityManager } from 'typeorm';
import { SpanKind } from '@opentelemetry/api';
import { inSpanUnder } from '@gw/tracing';
import { readMessage, recordStatus } from './record-status';
import { LatestSubmission, SubmissionRepository } from './submissions';

/** A normalized delivery receipt (see DeliveryReport in @gw/connectors); statuses the gateway's. */
export interface Receipt {
  providerMessageId: string;
  status: 'sent' | 'failed' | 'delivered' | 'undelivered';
  carrierStatus: string;
  carrierCode: string | null;
  description: string;
}

/**
 * What became of a receipt: applied; a duplicate or a regression (nothing changed); for a message
 * the gateway does not know; or from a connector that no longer carries the message (an attempt
 * the gateway already moved elsewhere after it provably failed), which is never applied.
 */
export type ReceiptOutcome = 'applied' | 'duplicate' | 'unknown_message' | 'other_connector';

/**
 * What applyReceipt did, and the message's latest attempt it matched the receipt against (null
 * when the message is unknown or was never handed to a connector): its connector and age in
 * seconds are what the receipt latency (recordReceiptLatency) is measured from.
 */
export interface ReceiptResult {
  outcome: ReceiptOutcome;
  submission: LatestSubmission | null;
}

/**
 * Applies a carrier receipt to the message it belongs to, matched to the connector and id it was
 * submitted with. HTTP carriers name the message in their verified callback URL (`messageId`);
 * bound carriers (SMPP) only give their own id, which is looked up in `message_submissions`.
 * A receipt from a connector other than the one of the message's latest attempt is refused.
 * The receipt is applied in an `sms.receipt` span in the message's own trace (its stored
 * `traceparent`: carriers send no trace context), linked to the span it arrived in.
 * @returns the outcome with the latest attempt (ReceiptResult).
 */
export async function applyReceipt(
  db: EntityManager,
  r: { connectorId: string; messageId?: string; receipt: Receipt; correlationId?: string },
): Promise<ReceiptResult> {
  const submissions = new SubmissionRepository(db);
  const messageId = r.messageId ?? (await submissions.messageOf(r.connectorId, r.receipt.providerMessageId));
  if (!messageId) return { outcome: 'unknown_message', submission: null };
  const latest = await submissions.latest(messageId);
  if (latest && latest.connectorId !== r.connectorId) return { outcome: 'other_connector', submission: latest };
  const { receipt } = r;
  const failed = receipt.status === 'failed' || receipt.status === 'undelivered';
  const message = await readMessage(db, messageId);
  const span = {
    name: 'sms.receipt',
    kind: SpanKind.CONSUMER,
    attributes: { 'gw.message.id': messageId, 'gw.connector.id': r.connectorId, 'gw.receipt.status': receipt.status },
  };
  const applied = () =>
    recordStatus(
      db,
      {
        messageId,
        status: receipt.status,
        source: 'dlr',
        carrierStatus: receipt.carrierStatus,
        carrierCode: receipt.carrierCode,
        description: receipt.description,
        providerMessageId: receipt.providerMessageId,
        connectorId: r.connectorId,
        ...(failed ? { errorCode: receipt.carrierCode ?? receipt.carrierStatus, errorMessage: receipt.description } : {}),
        correlationId: r.correlationId,
      },
      message ?? undefined,
    );
  const result = await inSpanUnder(message?.traceparent, span, applied);
  if (!result.found) return { outcome: 'unknown_message', submission: latest };
  return { outcome: result.applied ? 'applied' : 'duplicate', submission: latest };
}
