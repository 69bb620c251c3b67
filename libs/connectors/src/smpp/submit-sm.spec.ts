import { PermanentError } from '@gw/queues';
import { analyzeText, decodeGsm7, decodeUcs2, encodeGsm7 } from '@gw/sms-text';
import type { SubmitRequest } from '../sms-connector';
import { concatUdh, destinationAddress, relativeValidityPeriod, sourceAddress, splitText, submitSmBodies } from './submit-sm';

const req = (over: Partial<SubmitRequest> = {}): SubmitRequest => ({
  messageId: 'msg_1',
  to: '+4915112345678',
  from: '+4930123456',
  body: 'Hello',
  encoding: 'GSM-7',
  validityPeriodS: null,
  dlrUrl: 'http://unused',
  ...over,
});

const GRIN = '😀';

describe('splitText', () => {
  it('keeps 160 septets / 70 code units in one part and splits one more into 153 / 67 parts', () => {
    expect(splitText('a'.repeat(160), 'GSM-7')).toEqual(['a'.repeat(160)]);
    expect(splitText('a'.repeat(161), 'GSM-7')).toEqual(['a'.repeat(153), 'a'.repeat(8)]);
    expect(splitText('Ж'.repeat(70), 'UCS-2')).toEqual(['Ж'.repeat(70)]);
    expect(splitText('Ж'.repeat(71), 'UCS-2')).toEqual(['Ж'.repeat(67), 'Ж'.repeat(4)]);
  });

  it('never splits a GSM-7 escape pair: an extension character at septet 153 moves whole', () => {
    const text = 'a'.repeat(152) + '€' + 'b'.repeat(20);
    const parts = splitText(text, 'GSM-7');
    expect(parts).toEqual(['a'.repeat(152), '€' + 'b'.repeat(20)]);
    for (const p of parts) expect(decodeGsm7(encodeGsm7(p)!)).toBe(p);
  });

  it('never splits a surrogate pair: an emoji at code unit 67 moves whole', () => {
    const text = 'Ж'.repeat(66) + GRIN + 'Ж'.repeat(10);
    const parts = splitText(text, 'UCS-2');
    expect(parts).toEqual(['Ж'.repeat(66), GRIN + 'Ж'.repeat(10)]);
    expect(parts.join('')).toBe(text);
  });

  it.each([
    ['GSM-7 with escapes', 'x{y}'.repeat(90)],
    ['UCS-2 with emoji', `Привет ${GRIN} `.repeat(30)],
    ['GSM-7 exactly 306 septets', 'z'.repeat(306)],
  ])('agrees with analyzeText for %s', (_, text) => {
    const a = analyzeText(text);
    expect(splitText(text, a.encoding)).toEqual(a.parts);
  });

  it('sends GSM-7 text as UCS-2 when asked, with UCS-2 limits', () => {
    expect(splitText('a'.repeat(71), 'UCS-2')).toEqual(['a'.repeat(67), 'a'.repeat(4)]);
  });

  it('rejects GSM-7 for a character outside GSM 03.38', () => {
    expect(() => splitText('Привет', 'GSM-7')).toThrow(PermanentError);
  });
});

describe('relativeValidityPeriod (SMPP 3.4 section 7.1.1)', () => {
  it.each([
    [null, ''],
    [0, ''],
    [60, '000000000100000R'],
    [3661, '000000010101000R'],
    [86_400, '000001000000000R'],
    [345_600, '000004000000000R'],
    [90_061.7, '000001010101000R'],
    [200 * 86_400, '000099235959000R'],
  ])('%p s -> %p', (seconds, expected) => {
    expect(relativeValidityPeriod(seconds)).toBe(expected);
  });
});

describe('addresses', () => {
  it('sends E.164 without + as TON 1 NPI 1, alphanumeric as TON 5 NPI 0, a short code as TON 0 NPI 1', () => {
    expect(sourceAddress('+4930123456')).toEqual({ addr: '4930123456', ton: 1, npi: 1 });
    expect(sourceAddress('ACME Bank')).toEqual({ addr: 'ACME Bank', ton: 5, npi: 0 });
    expect(sourceAddress('12345')).toEqual({ addr: '12345', ton: 0, npi: 1 });
    expect(destinationAddress('+15550001')).toEqual({ addr: '15550001', ton: 1, npi: 1 });
  });

  it('rejects senders and recipients it cannot address', () => {
    expect(() => sourceAddress('bad-sender!')).toThrow(expect.objectContaining({ code: 'smpp_invalid_source' }));
    expect(() => destinationAddress('0049151')).toThrow(expect.objectContaining({ code: 'smpp_invalid_destination' }));
  });
});

describe('submitSmBodies', () => {
  it('sends a short GSM-7 text as one submit_sm asking for a receipt', () => {
    const [one, ...rest] = submitSmBodies(req({ body: 'Hi {you}', validityPeriodS: 3600 }), 'udh', 7);
    expect(rest).toEqual([]);
    expect(one).toMatchObject({
      source_addr: '4930123456',
      source_addr_ton: 1,
      source_addr_npi: 1,
      destination_addr: '4915112345678',
      dest_addr_ton: 1,
      dest_addr_npi: 1,
      esm_class: 0,
      registered_delivery: 1,
      data_coding: 0,
      validity_period: '000000010000000R',
      short_message: encodeGsm7('Hi {you}'),
    });
    expect(one).not.toHaveProperty('message_payload');
  });

  it('sends UCS-2 as UTF-16BE with data_coding 8', () => {
    const [one] = submitSmBodies(req({ body: `Привет ${GRIN}`, encoding: 'UCS-2' }), 'udh', 0);
    expect(one).toMatchObject({ data_coding: 8 });
    expect(decodeUcs2(one['short_message'] as Buffer)).toBe(`Привет ${GRIN}`);
  });

  it('splits a long text into UDH parts sharing the reference, receipt on the last part only', () => {
    const body = 'a'.repeat(152) + '€' + 'b'.repeat(200);
    const bodies = submitSmBodies(req({ body }), 'udh', 0x2a);
    expect(bodies).toHaveLength(3);
    expect(bodies.map((b) => b['esm_class'])).toEqual([0x40, 0x40, 0x40]);
    expect(bodies.map((b) => b['registered_delivery'])).toEqual([0, 0, 1]);
    const texts = bodies.map((b, i) => {
      const sm = b['short_message'] as Buffer;
      expect([...sm.subarray(0, 6)]).toEqual([0x05, 0x00, 0x03, 0x2a, 3, i + 1]);
      expect(sm.length - 6).toBeLessThanOrEqual(153);
      return decodeGsm7(sm.subarray(6));
    });
    expect(texts.join('')).toBe(body);
  });

  it('puts a long UCS-2 text into 67-unit UDH parts', () => {
    const body = 'Ж'.repeat(66) + GRIN + 'Ж'.repeat(70);
    const bodies = submitSmBodies(req({ body, encoding: 'UCS-2' }), 'udh', 255);
    expect(bodies).toHaveLength(3);
    const parts = bodies.map((b) => (b['short_message'] as Buffer).subarray(6));
    expect(parts.map((p) => p.length / 2)).toEqual([66, 67, 5]);
    expect(parts.map((p) => decodeUcs2(p)).join('')).toBe(body);
  });

  it('sends a long text as one submit_sm with message_payload when asked', () => {
    const body = 'x'.repeat(400);
    const bodies = submitSmBodies(req({ body }), 'message_payload', 0);
    expect(bodies).toHaveLength(1);
    expect(bodies[0]).toMatchObject({
      esm_class: 0,
      registered_delivery: 1,
      short_message: Buffer.alloc(0),
      message_payload: encodeGsm7(body),
    });
  });

  it('refuses more than 255 UDH parts', () => {
    expect(() => submitSmBodies(req({ body: 'Ж'.repeat(67 * 256), encoding: 'UCS-2' }), 'udh', 0)).toThrow(
      expect.objectContaining({ code: 'smpp_too_long' }),
    );
  });

  it('builds the concatenation UDH of 3GPP TS 23.040 section 9.2.3.24.1', () => {
    expect([...concatUdh(0x1ff, 4, 2)]).toEqual([5, 0, 3, 0xff, 4, 2]);
  });
});
