import { CarrierCallbackError } from '../carrier';
import { parseDeliverSm } from './deliver-sm';
import { parseReceiptText, parseSmppReceipt, receiptInput } from './receipt';
import { newPdu } from './smpp-lib';

const TEXT = 'id:0123456789 sub:001 dlvrd:001 submit date:2501311200 done date:2501311201 stat:DELIVRD err:000 text:Hello world';

describe('parseReceiptText (SMPP 3.4 Appendix B)', () => {
  it('reads every field of the Appendix B format', () => {
    expect(parseReceiptText(TEXT)).toEqual({
      id: '0123456789',
      sub: '001',
      dlvrd: '001',
      submitDate: '2501311200',
      doneDate: '2501311201',
      stat: 'DELIVRD',
      err: '000',
      text: 'Hello world',
    });
  });

  it('accepts the spec\'s "Text:" spelling, other field orders and missing fields', () => {
    expect(parseReceiptText('stat:undeliv id:ab12 err:0B1 Text:stat:DELIVRD id:zz')).toMatchObject({
      id: 'ab12',
      stat: 'UNDELIV',
      err: '0B1',
      sub: null,
      submitDate: null,
      text: 'stat:DELIVRD id:zz',
    });
    expect(parseReceiptText('')).toMatchObject({ id: null, stat: null, text: null });
  });
});

describe('parseSmppReceipt', () => {
  const input = (text: string, receiptedMessageId: string | null = null, messageState: number | null = null) => ({
    text,
    receiptedMessageId,
    messageState,
  });

  it('maps DELIVRD to delivered and keeps an all-zero err verbatim', () => {
    expect(parseSmppReceipt(input(TEXT))).toEqual({
      providerMessageId: '0123456789',
      status: 'delivered',
      carrierStatus: 'DELIVRD',
      carrierCode: '000',
      description: 'delivered to the handset',
    });
  });

  it.each(['UNDELIV', 'EXPIRED', 'REJECTD', 'DELETED'])('maps %s to undelivered keeping err verbatim', (stat) => {
    expect(parseSmppReceipt(input(TEXT.replace('DELIVRD', stat).replace('err:000', 'err:0B1')))).toMatchObject({
      status: 'undelivered',
      carrierStatus: stat,
      carrierCode: '0B1',
    });
  });

  it.each(['ACCEPTD', 'ENROUTE', 'UNKNOWN'])('ignores the non-final %s', (stat) => {
    expect(parseSmppReceipt(input(TEXT.replace('DELIVRD', stat)))).toBeNull();
  });

  it('lets the receipted_message_id and message_state TLVs win over the text', () => {
    expect(parseSmppReceipt(input(TEXT, 'ABCDEF', 5))).toMatchObject({
      providerMessageId: 'ABCDEF',
      status: 'undelivered',
      carrierStatus: 'UNDELIV',
    });
    expect(parseSmppReceipt(input('', 'ABCDEF', 2))).toMatchObject({ providerMessageId: 'ABCDEF', status: 'delivered', carrierCode: null });
    expect(parseSmppReceipt(input('', 'ABCDEF', 6))).toBeNull();
  });

  it('falls back to the text stat for a message_state SMPP 3.4 does not define', () => {
    expect(parseSmppReceipt(input(TEXT, null, 0))).toMatchObject({ status: 'delivered' });
  });

  it('throws when neither gives an id or a state', () => {
    expect(() => parseSmppReceipt(input('stat:DELIVRD'))).toThrow(CarrierCallbackError);
    expect(() => parseSmppReceipt(input('id:1 err:000'))).toThrow(CarrierCallbackError);
  });

  it('reads a receipt deliver_sm from its wire bytes, text in short_message or message_payload', () => {
    const wire = newPdu('deliver_sm', {
      sequence_number: 9,
      source_addr: '15550001',
      destination_addr: '4930123456',
      esm_class: 0x04,
      data_coding: 0,
      short_message: Buffer.from(TEXT.replace('DELIVRD', 'EXPIRED'), 'ascii'),
      receipted_message_id: 'F00D',
      message_state: 3,
    }).toBuffer();
    expect(parseSmppReceipt(receiptInput(parseDeliverSm(wire)))).toMatchObject({
      providerMessageId: 'F00D',
      status: 'undelivered',
      carrierStatus: 'EXPIRED',
    });
    const payload = newPdu('deliver_sm', {
      esm_class: 0x04,
      short_message: Buffer.alloc(0),
      message_payload: Buffer.from(TEXT, 'ascii'),
    }).toBuffer();
    expect(parseSmppReceipt(receiptInput(parseDeliverSm(payload)))).toMatchObject({ providerMessageId: '0123456789', status: 'delivered' });
  });
});
