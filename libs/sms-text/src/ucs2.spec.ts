import { encodeUcs2Hex } from '@gw/sms-text';
import { seededRandom } from './testing/gsm7-oracle';

/** Independent decoder: UTF-16BE bytes back to a string via Node's UTF-16LE codec. */
const decode = (hex: string): string => Buffer.from(hex, 'hex').swap16().toString('utf16le');

describe('encodeUcs2Hex', () => {
  it.each([
    ['', ''],
    ['A', '0041'],
    ['Hi😀', '00480069d83dde00'],
    ['€', '20ac'],
    ['Привет', '041f04400438043204350442'],
    ['@\n', '0040000a'],
  ])('encodes %j as UTF-16BE lowercase hex %s', (text, hex) => {
    expect(encodeUcs2Hex(text)).toBe(hex);
  });

  it('writes 4 hex digits per UTF-16 code unit, lone surrogates included', () => {
    expect(encodeUcs2Hex('\ud83d')).toBe('d83d');
    expect(encodeUcs2Hex('a\u0000b')).toBe('006100000062');
  });

  it('round-trips generated text through a UTF-16BE decoder', () => {
    const random = seededRandom(20240611);
    const alphabet = ['a', 'Z', ' ', 'é', 'Ж', '中', '€', '😀', '🇫🇷', '\n', '\u00a0'];
    for (let n = 0; n < 300; n++) {
      let text = '';
      const length = Math.floor(random() * 90);
      for (let i = 0; i < length; i++) text += alphabet[Math.floor(random() * alphabet.length)];
      const hex = encodeUcs2Hex(text);
      expect(hex).toMatch(/^([0-9a-f]{4})*$/);
      expect(hex.length).toBe(text.length * 4);
      expect(decode(hex)).toBe(text);
    }
  });
});
