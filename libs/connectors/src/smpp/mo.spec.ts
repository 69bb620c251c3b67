import { encodeGsm7, encodeUcs2 } from '@gw/sms-text';
import { parseDeliverSm } from './deliver-sm';
import { MoReassembler, decodeMoText, moPart, parseConcatIe } from './mo';
import { newPdu } from './smpp-lib';

/** A deliver_sm as the SMSC writes it, read back through parseDeliverSm. */
function deliverSm(fields: Record<string, unknown>) {
  const wire = newPdu('deliver_sm', {
    sequence_number: 1,
    source_addr: '4915100000',
    source_addr_ton: 1,
    source_addr_npi: 1,
    destination_addr: '12345',
    esm_class: 0,
    data_coding: 0,
    short_message: Buffer.alloc(0),
    ...fields,
  }).toBuffer();
  return parseDeliverSm(wire);
}

const udhPart = (ref: number, total: number, seq: number, data: Buffer): Buffer =>
  Buffer.concat([Buffer.from([0x05, 0x00, 0x03, ref, total, seq]), data]);

const reassembler = (now = () => 0, ttlMs = 60_000, maxPending = 100) => new MoReassembler({ ttlMs, maxPending, now });

describe('parseDeliverSm (SMPP 3.4 section 4.6.1)', () => {
  it('reads addresses, esm_class, data_coding, the short_message octets and the TLVs', () => {
    const d = deliverSm({
      sequence_number: 77,
      esm_class: 0x40,
      data_coding: 8,
      short_message: Buffer.from([0, 0x41]),
      user_message_reference: 513,
    });
    expect(d).toMatchObject({
      sequenceNumber: 77,
      sourceAddr: '4915100000',
      sourceAddrTon: 1,
      destinationAddr: '12345',
      esmClass: 0x40,
      dataCoding: 8,
      shortMessage: Buffer.from([0, 0x41]),
    });
    expect(d.tlvs.get(0x0204)).toEqual(Buffer.from([0x02, 0x01]));
  });

  it('rejects a truncated PDU and other commands', () => {
    const wire = newPdu('deliver_sm', { short_message: Buffer.from('hello') }).toBuffer();
    expect(() => parseDeliverSm(wire.subarray(0, wire.length - 3))).toThrow(/truncated/);
    expect(() => parseDeliverSm(newPdu('enquire_link').toBuffer())).toThrow(/not a deliver_sm/);
  });
});

describe('decodeMoText (SMPP 3.4 section 5.2.19)', () => {
  it.each([
    [0, encodeGsm7('STOP {now} €')!, 'STOP {now} €'],
    [0xf1, encodeGsm7('@home')!, '@home'],
    [1, Buffer.from('plain ascii'), 'plain ascii'],
    [3, Buffer.from('café', 'latin1'), 'café'],
    [8, encodeUcs2('Привет 😀'), 'Привет 😀'],
  ])('data_coding %i', (dc, bytes, text) => {
    expect(decodeMoText(dc, bytes)).toBe(text);
  });
});

describe('parseConcatIe (3GPP TS 23.040 section 9.2.3.24)', () => {
  it('reads the 8-bit and 16-bit reference IEs, skipping others', () => {
    expect(parseConcatIe(Uint8Array.from([0x00, 0x03, 0x2a, 0x02, 0x01]))).toEqual({ ref: 0x2a, total: 2, seq: 1 });
    expect(parseConcatIe(Uint8Array.from([0x24, 0x01, 0x01, 0x08, 0x04, 0x12, 0x34, 0x03, 0x02]))).toEqual({
      ref: 0x1234,
      total: 3,
      seq: 2,
    });
    expect(parseConcatIe(Uint8Array.from([0x24, 0x01, 0x01]))).toBeNull();
  });
});

describe('MO reassembly', () => {
  it('passes a single-part MO through with E.164 addresses', () => {
    const done = reassembler().add(moPart(deliverSm({ short_message: encodeGsm7('hello') })));
    expect(done?.key).toBeNull();
    expect(done?.sms).toMatchObject({ from: '+4915100000', to: '+12345', text: 'hello' });
    expect(done?.sms.providerMessageId).toMatch(/^[0-9a-f]{32}$/);
  });

  it('joins UDH parts arriving out of order, a GSM-7 escape pair split across them included', () => {
    const r = reassembler();
    const full = encodeGsm7('Part one and €uro')!;
    const cut = full.indexOf(0x1b) + 1; // between the escape and its character
    const p2 = moPart(deliverSm({ esm_class: 0x40, short_message: udhPart(9, 2, 2, full.subarray(cut)) }));
    const p1 = moPart(deliverSm({ esm_class: 0x40, short_message: udhPart(9, 2, 1, full.subarray(0, cut)) }));
    expect(r.add(p2)).toBeNull();
    expect(r.size()).toBe(1);
    const done = r.add(p1);
    expect(done?.sms.text).toBe('Part one and €uro');
    r.done(done!.key);
    expect(r.size()).toBe(0);
  });

  it('joins UCS-2 parts with a surrogate pair split across them, and message_payload parts', () => {
    const r = reassembler();
    const bytes = encodeUcs2('ab😀cd');
    const cut = 6; // inside the surrogate pair
    expect(
      r.add(moPart(deliverSm({ esm_class: 0x40, data_coding: 8, short_message: udhPart(1, 2, 1, bytes.subarray(0, cut)) }))),
    ).toBeNull();
    const done = r.add(moPart(deliverSm({ esm_class: 0x40, data_coding: 8, message_payload: udhPart(1, 2, 2, bytes.subarray(cut)) })));
    expect(done?.sms.text).toBe('ab😀cd');
  });

  it('reads the sar_* TLVs when there is no UDH', () => {
    const r = reassembler();
    const sar = (seq: number, text: string) =>
      moPart(deliverSm({ short_message: encodeGsm7(text), sar_msg_ref_num: 300, sar_total_segments: 2, sar_segment_seqnum: seq }));
    expect(r.add(sar(1, 'Hello '))).toBeNull();
    expect(r.add(sar(2, 'there'))?.sms.text).toBe('Hello there');
  });

  it('keeps parts of different senders and references apart', () => {
    const r = reassembler();
    expect(r.add(moPart(deliverSm({ esm_class: 0x40, short_message: udhPart(5, 2, 1, encodeGsm7('A')!) })))).toBeNull();
    expect(
      r.add(moPart(deliverSm({ source_addr: '4915199999', esm_class: 0x40, short_message: udhPart(5, 2, 2, encodeGsm7('B')!) }))),
    ).toBeNull();
    expect(r.add(moPart(deliverSm({ esm_class: 0x40, short_message: udhPart(6, 2, 2, encodeGsm7('C')!) })))).toBeNull();
    expect(r.size()).toBe(3);
  });

  it('drops parts older than the TTL and the oldest beyond maxPending', () => {
    let now = 0;
    const r = reassembler(() => now, 1000, 2);
    const part = (ref: number, seq: number) =>
      moPart(deliverSm({ esm_class: 0x40, short_message: udhPart(ref, 2, seq, encodeGsm7('x')!) }));
    r.add(part(1, 1));
    now = 1500;
    expect(r.add(part(1, 2))).toBeNull(); // part 1 expired: this starts a new message
    r.add(part(2, 1));
    r.add(part(3, 1));
    expect(r.size()).toBe(2);
    expect(r.add(part(1, 1))).toBeNull(); // ref 1 was the oldest and was dropped
  });

  it('completes again when the SMSC redelivers the last part after the sink failed', () => {
    const r = reassembler();
    const p1 = moPart(deliverSm({ esm_class: 0x40, short_message: udhPart(4, 2, 1, encodeGsm7('a')!) }));
    const p2 = moPart(deliverSm({ esm_class: 0x40, short_message: udhPart(4, 2, 2, encodeGsm7('b')!) }));
    r.add(p1);
    const first = r.add(p2);
    const again = r.add(p2); // no done(): the sink failed
    expect(again?.sms).toEqual(first?.sms);
  });
});

describe('MO providerMessageId', () => {
  const id = (fields: Record<string, unknown>) => reassembler().add(moPart(deliverSm(fields)))!.sms.providerMessageId;

  it('is the same for a redelivered PDU, whose sequence_number differs', () => {
    const base = { short_message: encodeGsm7('STOP') };
    expect(id({ ...base, sequence_number: 1 })).toBe(id({ ...base, sequence_number: 2 }));
  });

  it('differs by text, sender, recipient, data_coding and user_message_reference', () => {
    const base = { short_message: encodeGsm7('STOP'), user_message_reference: 1 };
    const ids = new Set([
      id(base),
      id({ ...base, short_message: encodeGsm7('STOP!') }),
      id({ ...base, source_addr: '4915100001' }),
      id({ ...base, destination_addr: '12346' }),
      id({ ...base, data_coding: 3 }),
      id({ ...base, user_message_reference: 2 }),
    ]);
    expect(ids.size).toBe(6);
  });
});
