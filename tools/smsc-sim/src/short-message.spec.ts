import { PDU } from 'smpp';
import { decodeContent, decodeText, installRawPduCapture, parseSmBody, parseUdhConcat, rawPduOf } from './short-message';

installRawPduCapture(PDU);

function wire(options: Record<string, unknown>): Buffer {
  return new PDU('submit_sm', { sequence_number: 1, ...options }).toBuffer();
}

describe('submit_sm content', () => {
  it('reads short_message and TLVs from the wire bytes', () => {
    const sm = Buffer.from([0x05, 0x00, 0x03, 0x7a, 0x03, 0x02, 0x48, 0x00, 0x69]);
    const body = parseSmBody(
      wire({
        source_addr: 'Brand',
        destination_addr: '+15550001',
        esm_class: 0x40,
        data_coding: 0,
        short_message: sm,
        sar_msg_ref_num: 0x1234,
        sar_total_segments: 4,
        sar_segment_seqnum: 3,
      }),
    );
    expect(body.shortMessage).toEqual(sm);
    const content = decodeContent(body, 0, 0x40);
    expect(content.payload).toEqual(sm);
    expect(content.text).toBe('H@i');
    expect(content.udh).toEqual({ ref: 0x7a, total: 3, seq: 2 });
    expect(content.sar).toEqual({ ref: 0x1234, total: 4, seq: 3 });
  });

  it('uses message_payload when short_message is empty', () => {
    const long = Buffer.from('x'.repeat(300), 'ascii');
    const body = parseSmBody(wire({ destination_addr: '1', data_coding: 1, short_message: Buffer.alloc(0), message_payload: long }));
    const content = decodeContent(body, 1, 0);
    expect(content.payload.length).toBe(300);
    expect(content.text).toBe('x'.repeat(300));
    expect(content.udh).toBeNull();
  });

  it('keeps the exact bytes of PDUs parsed from the wire', () => {
    const buf = wire({ destination_addr: '1', data_coding: 0, short_message: Buffer.from([0x80, 0x41]) });
    const parsed = new PDU(buf);
    expect(rawPduOf(parsed)).toEqual(buf);
    // Invisible to the library's own field walks.
    expect(Object.values(parsed)).not.toContain(buf);
    expect(parseSmBody(rawPduOf(parsed)!).shortMessage).toEqual(Buffer.from([0x80, 0x41]));
  });

  it('rejects a truncated body', () => {
    const buf = wire({ destination_addr: '1', short_message: Buffer.from('hello') });
    expect(() => parseSmBody(buf.subarray(0, buf.length - 2))).toThrow('truncated');
  });

  it('reads 16-bit reference concatenation IEs after other IEs', () => {
    expect(parseUdhConcat(Buffer.from([0x24, 0x01, 0x00, 0x08, 0x04, 0x12, 0x34, 0x02, 0x01]))).toEqual({ ref: 0x1234, total: 2, seq: 1 });
    expect(parseUdhConcat(Buffer.from([0x24, 0x01, 0x00]))).toBeNull();
  });

  it('decodes text by data_coding', () => {
    expect(decodeText(Buffer.from('caf\xe9', 'latin1'), 3)).toBe('café');
    expect(decodeText(Buffer.from('00410042', 'hex'), 8)).toBe('AB');
    expect(decodeText(Buffer.from([1, 2]), 4)).toBeNull();
    expect(decodeText(Buffer.from([0x00]), 0xf0)).toBe('@');
    expect(decodeText(Buffer.from([0x00]), 0xf4)).toBeNull();
  });
});
