import { CarrierCallbackError } from '../carrier';
import { parseJasminDlr, parseJasminMo } from './jasmin-callbacks';

const base = { id: '07033084-5cfd-4812-90a4-e4d24ffb6e3d', connector: 'SMSC1' };

describe('parseJasminDlr', () => {
  it('maps level 1 ESME_ROK to sent and ESME errors to failed with the code kept', () => {
    expect(parseJasminDlr({ ...base, level: '1', message_status: 'ESME_ROK' })).toMatchObject({
      status: 'sent',
      carrierStatus: 'ESME_ROK',
    });
    expect(parseJasminDlr({ ...base, level: '1', message_status: 'ESME_RINVDSTADR' })).toMatchObject({
      status: 'failed',
      carrierStatus: 'ESME_RINVDSTADR',
      carrierCode: 'ESME_RINVDSTADR',
    });
  });

  it.each([
    ['DELIVRD', 'delivered'],
    ['UNDELIV', 'undelivered'],
    ['EXPIRED', 'undelivered'],
    ['REJECTD', 'undelivered'],
    ['DELETED', 'undelivered'],
  ])('maps level 2 %s to %s and keeps err', (stat, status) => {
    expect(parseJasminDlr({ ...base, level: '2', message_status: stat, err: '001', id_smsc: 'a1' })).toMatchObject({
      status,
      carrierStatus: stat,
      carrierCode: '001',
      providerMessageId: base.id,
    });
  });

  it('treats ACCEPTD, ENROUTE and UNKNOWN as no change', () => {
    for (const s of ['ACCEPTD', 'ENROUTE', 'UNKNOWN']) expect(parseJasminDlr({ ...base, level: '2', message_status: s })).toBeNull();
  });

  it('drops ND error codes', () => {
    expect(parseJasminDlr({ ...base, level: '2', message_status: 'DELIVRD', err: 'ND' })?.carrierCode).toBeNull();
  });

  it('rejects callbacks without id, level or status, or with an unknown level', () => {
    expect(() => parseJasminDlr({ level: '1', message_status: 'ESME_ROK' })).toThrow(CarrierCallbackError);
    expect(() => parseJasminDlr({ ...base, message_status: 'ESME_ROK' })).toThrow(CarrierCallbackError);
    expect(() => parseJasminDlr({ ...base, level: '7', message_status: 'ESME_ROK' })).toThrow(CarrierCallbackError);
  });
});

describe('parseJasminMo', () => {
  it('decodes GSM 03.38 septets from binary and normalizes digit addresses to E.164', () => {
    const binary = Buffer.from([0x68, 0x65, 0x6c, 0x6c, 0x6f, 0x20, 0x1b, 0x65]).toString('hex');
    expect(parseJasminMo({ id: 'x1', from: '14155550100', to: '+14155550199', coding: '\u0000', content: 'junk', binary })).toEqual({
      providerMessageId: 'x1',
      from: '+14155550100',
      to: '+14155550199',
      text: 'hello €',
    });
  });

  it('falls back to content when Jasmin sent no binary', () => {
    expect(parseJasminMo({ id: 'x4', from: '1', to: '2', content: 'plain' }).text).toBe('plain');
  });

  it('decodes UCS-2 from the binary hex whether coding is the raw octet or digits', () => {
    const hex = Buffer.from('héllo 😀', 'utf16le').swap16().toString('hex');
    expect(parseJasminMo({ id: 'x2', from: '1', to: '2', coding: '\u0008', binary: hex, content: 'garbage' }).text).toBe('héllo 😀');
    expect(parseJasminMo({ id: 'x2', from: '1', to: '2', coding: '8', binary: hex }).text).toBe('héllo 😀');
  });

  it('rejects a binary field that is not hex', () => {
    expect(() => parseJasminMo({ id: 'x5', from: '1', to: '2', binary: 'zz' })).toThrow(CarrierCallbackError);
  });

  it('rejects an MO without addresses', () => {
    expect(() => parseJasminMo({ id: 'x3', content: 'hi' })).toThrow(CarrierCallbackError);
  });
});
