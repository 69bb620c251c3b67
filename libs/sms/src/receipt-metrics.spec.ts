import { METRICS } from '@gw/observability';
import { receiptLatencyStatus, recordReceiptLatency } from './receipt-metrics';
import type { Receipt } from './receipts';

const receipt = (status: Receipt['status'], carrierStatus: string): Receipt => ({
  providerMessageId: 'p1',
  status,
  carrierStatus,
  carrierCode: null,
  description: '',
});

describe('receipt latency', () => {
  it('labels a receipt with the status it reported', () => {
    expect(receiptLatencyStatus(receipt('sent', 'ESME_ROK'))).toBe('sent');
    expect(receiptLatencyStatus(receipt('delivered', 'DELIVRD'))).toBe('delivered');
    expect(receiptLatencyStatus(receipt('undelivered', 'UNDELIV'))).toBe('undeliverable');
    expect(receiptLatencyStatus(receipt('undelivered', 'DELETED'))).toBe('undeliverable');
    expect(receiptLatencyStatus(receipt('undelivered', 'EXPIRED'))).toBe('expired');
    expect(receiptLatencyStatus(receipt('undelivered', 'REJECTD'))).toBe('rejected');
    expect(receiptLatencyStatus(receipt('failed', 'ESME_RINVDSTADR'))).toBe('rejected');
  });

  it('observes applied receipts only, by connector name, with the age of the attempt', async () => {
    const submission = { id: 'sub_1', connectorId: 'conn_1', connectorName: 'smpp-local', outcome: 'submitted' as const, ageSeconds: 2.5 };
    recordReceiptLatency({ outcome: 'applied', submission }, receipt('delivered', 'DELIVRD'));
    recordReceiptLatency({ outcome: 'duplicate', submission }, receipt('delivered', 'DELIVRD'));
    const text = await METRICS.getSingleMetricAsString('gw_sms_receipt_seconds');
    expect(text).toContain('gw_sms_receipt_seconds_count{connector="smpp-local",status="delivered"} 1');
    expect(text).toContain('gw_sms_receipt_seconds_sum{connector="smpp-local",status="delivered"} 2.5');
  });
});
