import { MESSAGE_STATE, formatReceiptText, parseReceiptText, receiptDate } from './receipt';

describe('receipt text (SMPP 3.4 Appendix B)', () => {
  const submittedAt = new Date(Date.UTC(2024, 0, 2, 3, 4, 59));
  const doneAt = new Date(Date.UTC(2024, 11, 31, 23, 59, 1));

  it('formats dates as YYMMDDhhmm in UTC', () => {
    expect(receiptDate(submittedAt)).toBe('2401020304');
    expect(receiptDate(doneAt)).toBe('2412312359');
  });

  it('produces the exact Appendix B layout', () => {
    const text = formatReceiptText({
      messageId: 'A1B2C3D4E5F60718',
      stat: 'DELIVRD',
      err: '0',
      dlvrd: 1,
      submittedAt,
      doneAt,
      text: 'Hello there, this is longer than twenty',
    });
    expect(text).toBe(
      'id:A1B2C3D4E5F60718 sub:001 dlvrd:001 submit date:2401020304 done date:2412312359 stat:DELIVRD err:000 text:Hello there, this is',
    );
    expect(parseReceiptText(text)).toEqual({
      id: 'A1B2C3D4E5F60718',
      sub: '001',
      dlvrd: '001',
      submitDate: '2401020304',
      doneDate: '2412312359',
      stat: 'DELIVRD',
      err: '000',
      text: 'Hello there, this is',
    });
  });

  it('keeps the receipt ASCII when the message text is not', () => {
    const text = formatReceiptText({ messageId: 'X', stat: 'UNDELIV', err: '1', dlvrd: 0, submittedAt, doneAt, text: 'Привет 😀 ok' });
    expect(text.endsWith('stat:UNDELIV err:001 text:?????? ? ok')).toBe(true);
  });

  it('maps stats to message_state values', () => {
    expect(MESSAGE_STATE).toEqual({ ENROUTE: 1, DELIVRD: 2, EXPIRED: 3, DELETED: 4, UNDELIV: 5, ACCEPTD: 6, UNKNOWN: 7, REJECTD: 8 });
  });

  it('rejects text that is not a receipt', () => {
    expect(parseReceiptText('hello')).toBeNull();
  });
});
