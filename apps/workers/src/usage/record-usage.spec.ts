import type { Envelope } from '@gw/kafka';
import { usageMetricOf, usageQuantityOf } from './record-usage';

const event = (type: string, payload: Record<string, unknown>): Envelope => ({
  event_id: '7d3f0b3e-6a55-4f0a-9b1e-2a4f7a1c9e10',
  type,
  key: 'msg_1',
  payload,
  created_at: '2026-11-21T10:00:00.000Z',
  headers: {},
});

describe('usageMetricOf', () => {
  it('counts MT segments once the SMSC took the message', () => {
    for (const status of ['sent', 'delivered', 'undelivered']) {
      expect(usageMetricOf(event('message.status_changed', { direction: 'outbound', status }))).toBe('sms_outbound_segments');
    }
  });

  it('does not count messages that never reached the SMSC', () => {
    for (const status of ['queued', 'sending', 'failed']) {
      expect(usageMetricOf(event('message.status_changed', { direction: 'outbound', status }))).toBeNull();
    }
  });

  it('counts started minutes of answered, completed calls', () => {
    const done = event('call.status_changed', { status: 'completed', duration_s: 61 });
    expect(usageMetricOf(done)).toBe('call_minutes');
    expect(usageQuantityOf(done, 'call_minutes')).toBe(2);
    expect(usageQuantityOf(event('call.status_changed', { status: 'completed', duration_s: 60 }), 'call_minutes')).toBe(1);
    expect(usageMetricOf(event('call.status_changed', { status: 'completed', duration_s: 0 }))).toBeNull();
    expect(usageMetricOf(event('call.status_changed', { status: 'busy', duration_s: 0 }))).toBeNull();
  });

  it('counts MO segments on receipt', () => {
    expect(usageMetricOf(event('message.received', { direction: 'inbound', status: 'received' }))).toBe('sms_inbound_segments');
  });
});
