import { EntityManager } from 'typeorm';
import { recordStatus } from './record-status';
import { SubmissionRepository } from './submissions';

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
 * Applies a carrier receipt to the message it belongs to, matched to the connector and id it was
 * submitted with. HTTP carriers name the message in their verified callback URL (`messageId`);
 * bound carriers (SMPP) only give their own id, which is looked up in `message_submissions`.
 * A receipt from a connector other than the one of the message's latest attempt is refused.
 */
export async function applyReceipt(
  db: EntityManager,
  r: { connectorId: string; messageId?: string; receipt: Receipt; correlationId?: string },
): Promise<ReceiptOutcome> {
  const submissions = new SubmissionRepository(db);
  const messageId = r.messageId ?? (await submissions.messageOf(r.connectorId, r.receipt.providerMessageId));
  if (!messageId) return 'unknown_message';
  const latest = await submissions.latest(messageId);
  if (latest && latest.connectorId !== r.connectorId) return 'other_connector';
  const { receipt } = r;
  const failed = receipt.status === 'failed' || receipt.status === 'undelivered';
  const result = await recordStatus(db, {
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
  });
  if (!result.found) return 'unknown_message';
  return result.applied ? 'applied' : 'duplicate';
}
