import { BASIC_TABLE, ESCAPE, EXTENSION_CODES } from './gsm7-alphabet';

const ESC = ESCAPE.charCodeAt(0);
const BASIC_CHARS = [...BASIC_TABLE];
const BASIC_ENCODE: ReadonlyMap<string, number> = new Map(
  BASIC_CHARS.map((ch, i) => [ch, i] as [string, number]).filter(([ch]) => ch !== ESCAPE),
);
const EXTENSION_DECODE: ReadonlyMap<number, string> = new Map([...EXTENSION_CODES].map(([ch, code]) => [code, ch]));

/**
 * Decodes unpacked GSM 7-bit septets (one per octet, as SMPP carries data_coding 0) to a string
 * (3GPP TS 23.038 section 6.2.1). Octets above 0x7F decode to '?'; an escape followed by a code
 * with no extension character decodes to the basic character (the spec's fallback); a trailing
 * lone escape decodes to a space.
 */
export function decodeGsm7(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b > 0x7f) {
      out += '?';
    } else if (b === ESC) {
      const next = bytes[i + 1];
      if (next === undefined || next === ESC || next > 0x7f) {
        out += ' ';
        continue;
      }
      out += EXTENSION_DECODE.get(next) ?? BASIC_CHARS[next];
      i++;
    } else {
      out += BASIC_CHARS[b];
    }
  }
  return out;
}

/**
 * Encodes a string to unpacked GSM 7-bit septets (extension characters as escape + code).
 * Returns null when a character is outside the default alphabet and its extension table.
 */
export function encodeGsm7(text: string): Buffer | null {
  const out: number[] = [];
  for (const ch of text) {
    const basic = BASIC_ENCODE.get(ch);
    if (basic !== undefined) {
      out.push(basic);
      continue;
    }
    const ext = EXTENSION_CODES.get(ch);
    if (ext === undefined) return null;
    out.push(ESC, ext);
  }
  return Buffer.from(out);
}

/** Decodes UCS-2 / UTF-16 big-endian octets (SMPP data_coding 8); a trailing odd octet is ignored. */
export function decodeUcs2(bytes: Uint8Array): string {
  const even = bytes.length - (bytes.length % 2);
  return Buffer.from(bytes.subarray(0, even)).swap16().toString('utf16le');
}

/** Encodes a string as UTF-16 big-endian octets (data_coding 8; surrogate pairs as two units). */
export function encodeUcs2(text: string): Buffer {
  return Buffer.from(text, 'utf16le').swap16();
}
