import { decodeGsm7, decodeUcs2, encodeGsm7, encodeUcs2 } from './codec';

describe('GSM 03.38', () => {
  it('decodes the basic table where it differs from ASCII', () => {
    expect(decodeGsm7(Buffer.from([0x00, 0x01, 0x02, 0x11, 0x24, 0x40, 0x5f, 0x60, 0x7f]))).toBe('@£$_¤¡§¿à');
  });

  it('decodes extension characters behind ESC', () => {
    const bytes = Buffer.from([
      0x1b, 0x28, 0x61, 0x1b, 0x29, 0x20, 0x1b, 0x65, 0x35, 0x1b, 0x3c, 0x1b, 0x3e, 0x1b, 0x2f, 0x1b, 0x14, 0x1b, 0x3d, 0x1b, 0x40,
    ]);
    expect(decodeGsm7(bytes)).toBe('{a} €5[]\\^~|');
  });

  it('falls back to the basic character for an unassigned extension code, and a space for a trailing ESC', () => {
    expect(decodeGsm7(Buffer.from([0x1b, 0x41, 0x1b]))).toBe('A ');
  });

  it('marks octets above 0x7F', () => {
    expect(decodeGsm7(Buffer.from([0x41, 0x80]))).toBe('A?');
  });

  it('encodes with two octets per extension character and round-trips', () => {
    const text = 'Price: 5€ {ok} @home_1';
    const enc = encodeGsm7(text)!;
    expect(enc.subarray(7, 10)).toEqual(Buffer.from([0x35, 0x1b, 0x65]));
    expect(enc.length).toBe([...text].length + 3);
    expect(decodeGsm7(enc)).toBe(text);
  });

  it('refuses characters outside the alphabet', () => {
    expect(encodeGsm7('héllo ж')).toBeNull();
  });

  it('decodes UCS-2 big endian including surrogate pairs', () => {
    expect(decodeUcs2(Buffer.from('041f04400438043204350442d83dde00', 'hex'))).toBe('Привет😀');
    expect(encodeUcs2('Ж😀').toString('hex')).toBe('0416d83dde00');
  });
});
