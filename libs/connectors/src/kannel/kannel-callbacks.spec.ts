import { CarrierCallbackError } from '../carrier';
import { parseKannelDlr, parseKannelMo } from './kannel-callbacks';
import { CAPTURED_DLR, CAPTURED_MO, queryFields } from './test-support';

describe('parseKannelDlr', () => {
  it('maps the SMSC ack (type 8) to sent, keyed by the gateway message id', () => {
    expect(parseKannelDlr(queryFields(CAPTURED_DLR.smscAck))).toEqual({
      providerMessageId: 'msg_00000000000000000000501',
      status: 'sent',
      carrierStatus: 'ACK',
      carrierCode: null,
      description: 'accepted by the SMSC',
    });
  });

  it('maps a DELIVRD receipt (type 1) to delivered and keeps stat and err', () => {
    expect(parseKannelDlr(queryFields(CAPTURED_DLR.delivered))).toEqual({
      providerMessageId: 'msg_00000000000000000000501',
      status: 'delivered',
      carrierStatus: 'DELIVRD',
      carrierCode: '000',
      description: 'delivered to the handset',
    });
  });

  it.each([
    ['undeliverable', 'UNDELIV', '001'],
    ['expired', 'EXPIRED', '000'],
    ['rejected', 'REJECTD', '0AB'],
  ] as const)('maps the %s receipt (bit 2) to undelivered with %s / %s', (name, stat, err) => {
    expect(parseKannelDlr(queryFields(CAPTURED_DLR[name]))).toMatchObject({
      status: 'undelivered',
      carrierStatus: stat,
      carrierCode: err,
      description: `carrier reported ${stat}`,
    });
  });

  it('maps an SMSC reject (type 16) to failed with the SMPP command_status and its text', () => {
    expect(parseKannelDlr(queryFields(CAPTURED_DLR.submitRejected))).toEqual({
      providerMessageId: 'msg_00000000000000000000505',
      status: 'failed',
      carrierStatus: 'NACK',
      carrierCode: '0x0000000b',
      description: 'rejected by the SMSC at submit: Invalid Destination Address',
    });
  });

  it('treats a buffered report (type 4, ENROUTE) as no change', () => {
    expect(parseKannelDlr(queryFields(CAPTURED_DLR.enroute))).toBeNull();
  });

  it('lets the stronger bit win when several are set', () => {
    expect(parseKannelDlr({ msg: 'm', type: '9', reply: '' })?.status).toBe('delivered');
    expect(parseKannelDlr({ msg: 'm', type: '24', reply: '' })?.status).toBe('failed');
  });

  it('keeps a reply that is no receipt text verbatim, and names the type when there is none', () => {
    expect(parseKannelDlr({ msg: 'm', type: '1', reply: 'Delivered OK' })).toMatchObject({
      carrierStatus: 'Delivered OK',
      carrierCode: null,
    });
    expect(parseKannelDlr({ msg: 'm', type: '2' })).toMatchObject({ carrierStatus: 'type 2', carrierCode: null });
  });

  it('rejects a DLR without msg or type, with a non-numeric type, or with no known bit', () => {
    expect(() => parseKannelDlr({ type: '1' })).toThrow(CarrierCallbackError);
    expect(() => parseKannelDlr({ msg: 'm' })).toThrow(CarrierCallbackError);
    expect(() => parseKannelDlr({ msg: 'm', type: '%d' })).toThrow(CarrierCallbackError);
    expect(() => parseKannelDlr({ msg: 'm', type: '32' })).toThrow(CarrierCallbackError);
    expect(() => parseKannelDlr({ msg: 'm', type: '0' })).toThrow(CarrierCallbackError);
  });
});

describe('parseKannelMo', () => {
  it('decodes a GSM-7 MO, which Kannel hands over as UTF-8, keeping every space', () => {
    expect(parseKannelMo(queryFields(CAPTURED_MO.gsm7))).toEqual({
      providerMessageId: '7bc1a7e7-9620-454c-8460-0d22a3696f91',
      from: '+14155550100',
      to: '+14155550199',
      text: 'hello € [x]  two  spaces',
    });
  });

  it('decodes a UCS-2 MO from UTF-16BE, surrogate pairs included, and adds + to digit addresses', () => {
    expect(parseKannelMo(queryFields(CAPTURED_MO.ucs2))).toEqual({
      providerMessageId: '12dd486f-1039-4b7e-a527-011247b7d3c5',
      from: '+14155550100',
      to: '+12345',
      text: 'Привет 😀',
    });
    expect(parseKannelMo(queryFields(CAPTURED_MO.ucs2Long)).text).toBe(`Grüße 👋 from UCS-2, long: ${'ü'.repeat(78)}`);
  });

  it('decodes a Latin-1 MO that Kannel converted to UTF-8', () => {
    expect(parseKannelMo(queryFields(CAPTURED_MO.latin1)).text).toBe('café');
  });

  it('accepts an empty text and keeps an alphanumeric sender as it is', () => {
    expect(parseKannelMo(queryFields(CAPTURED_MO.emptyFromAlphanumeric))).toMatchObject({ from: 'ALPHA', text: '' });
  });

  it('decodes other charsets Kannel may name (mo-recode: WINDOWS-1252) and 8-bit data octet for octet', () => {
    expect(parseKannelMo({ id: 'a', from: '1', to: '2', coding: '0', charset: 'WINDOWS-1252', hex: '80' }).text).toBe('€');
    expect(parseKannelMo({ id: 'a', from: '1', to: '2', coding: '1', charset: '8-BIT', hex: '00ff' }).text).toBe('\u0000\u00ff');
  });

  it('rejects an MO without id or addresses, with a hex field that is not hex, or with an unknown charset', () => {
    expect(() => parseKannelMo({ from: '1', to: '2', hex: '' })).toThrow(CarrierCallbackError);
    expect(() => parseKannelMo({ id: 'a', to: '2', hex: '' })).toThrow(CarrierCallbackError);
    expect(() => parseKannelMo({ id: 'a', from: '1', to: '2', hex: 'zz' })).toThrow(CarrierCallbackError);
    expect(() => parseKannelMo({ id: 'a', from: '1', to: '2', hex: '414', coding: '0' })).toThrow(CarrierCallbackError);
    expect(() => parseKannelMo({ id: 'a', from: '1', to: '2', hex: '41', coding: '0', charset: 'X-NOPE' })).toThrow(CarrierCallbackError);
  });
});
