import { Histogram } from 'prom-client';
import { METRICS } from '@gw/observability';
import type { Receipt, ReceiptResult } from './receipts';

/** Status label of `gw_sms_receipt_seconds`: what the receipt reported, finer than the message status. */
export type ReceiptLatencyStatus = 'sent' | 'delivered' | 'undeliverable' | 'expired' | 'rejected';

const receiptSeconds = new Histogram({
  name: 'gw_sms_receipt_seconds',
  help: "Time from a message's submit to the connector to the receipt that moved it to a status (s)",
  labelNames: ['connector', 'status'] as const,
  buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 14400, 86400],
  registers: [METRICS],
});

/**
 * The latency status of a receipt: `sent` (SMSC accepted), `delivered`, `expired` (SMPP 3.4
 * Appendix B stat EXPIRED), `rejected` (stat REJECTD, or refused by the SMSC at submit), else
 * `undeliverable` (UNDELIV, DELETED, or a carrier's own undelivered report).
 */
export function receiptLatencyStatus(receipt: Receipt): ReceiptLatencyStatus {
  if (receipt.status === 'sent' || receipt.status === 'delivered') return receipt.status;
  if (receipt.status === 'failed') return 'rejected';
  const stat = receipt.carrierStatus.toUpperCase();
  if (stat === 'EXPIRED') return 'expired';
  if (stat === 'REJECTD') return 'rejected';
  return 'undeliverable';
}

/**
 * Observes `gw_sms_receipt_seconds{connector,status}` for a receipt applyReceipt applied: the age
 * of the attempt it matched (from its `message_submissions` row to now), labelled with the
 * connector's name. Receipts not applied (duplicates, unknown, other connector) are not observed.
 */
export function recordReceiptLatency(result: ReceiptResult, receipt: Receipt): void {
  if (result.outcome !== 'applied' || !result.submission) return;
  receiptSeconds.observe(
    { connector: result.submission.connectorName, status: receiptLatencyStatus(receipt) },
    result.submission.ageSeconds,
  );
}
