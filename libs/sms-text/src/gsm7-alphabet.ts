/**
 * The GSM 7-bit default alphabet of 3GPP TS 23.038 (GSM 03.38) section 6.2.1, as
 * Unicode characters.
 *
 * Basic table, in code order 0x00..0x7F. Position 0x1B is the escape to the
 * extension table and has no character of its own, so it is left out of the set.
 * Position 0x09 is LATIN CAPITAL LETTER C WITH CEDILLA (Ç) as the specification
 * writes it; the small ç is therefore not GSM-7 here. Some SMSCs fold ç into Ç, but
 * treating it as UCS-2 never corrupts the text, it only costs more segments.
 */
export const BASIC_TABLE =
  '@£$¥èéùìòÇ\nØø\rÅå' + // 0x00-0x0F
  'Δ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ' + // 0x10-0x1F (0x1B = escape)
  ' !"#¤%&\'()*+,-./' + // 0x20-0x2F
  '0123456789:;<=>?' + // 0x30-0x3F
  '¡ABCDEFGHIJKLMNO' + // 0x40-0x4F
  'PQRSTUVWXYZÄÖÑÜ§' + // 0x50-0x5F
  '¿abcdefghijklmno' + // 0x60-0x6F
  'pqrstuvwxyzäöñüà'; // 0x70-0x7F

export const ESCAPE = '\u001b';

/**
 * Extension table of 3GPP TS 23.038 section 6.2.1.1 (default language): each of these
 * is sent as the escape septet followed by its own septet, so it costs 2 septets.
 * Form feed (0x1B 0x0A) is the page break. The value is the septet that follows the escape.
 */
export const EXTENSION_CODES: ReadonlyMap<string, number> = new Map([
  ['\f', 0x0a],
  ['^', 0x14],
  ['{', 0x28],
  ['}', 0x29],
  ['\\', 0x2f],
  ['[', 0x3c],
  ['~', 0x3d],
  [']', 0x3e],
  ['|', 0x40],
  ['€', 0x65],
]);

const BASIC_SET: ReadonlySet<string> = new Set([...BASIC_TABLE].filter((c) => c !== ESCAPE));
const EXTENSION_SET: ReadonlySet<string> = new Set(EXTENSION_CODES.keys());

/**
 * Septets one character costs in the GSM 7-bit default alphabet: 1 for the basic
 * table, 2 for the extension table, `null` when the character has no GSM-7 encoding
 * (the whole message must then go as UCS-2).
 *
 * @param char one Unicode code point as a string (a surrogate pair is one code point).
 */
export function gsm7Septets(char: string): 1 | 2 | null {
  if (BASIC_SET.has(char)) return 1;
  if (EXTENSION_SET.has(char)) return 2;
  return null;
}
