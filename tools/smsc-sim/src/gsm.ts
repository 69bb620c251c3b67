/**
 * GSM 03.38 (3GPP TS 23.038 section 6.2.1) default alphabet and its extension table, in the
 * unpacked form SMPP uses: one septet per octet, extension characters as ESC (0x1B) + code.
 */

const ESC = 0x1b;

// Index = septet value. 0x1B is the escape to the extension table and has no character of its own.
const BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';

const EXTENSION: ReadonlyMap<number, string> = new Map([
  [0x0a, '\f'],
  [0x14, '^'],
  [0x28, '{'],
  [0x29, '}'],
  [0x2f, '\\'],
  [0x3c, '['],
  [0x3d, '~'],
  [0x3e, ']'],
  [0x40, '|'],
  [0x65, '€'],
]);

const BASIC_ENCODE: ReadonlyMap<string, number> = new Map(
  [...BASIC].map((ch, i) => [ch, i] as [string, number]).filter(([, i]) => i !== ESC),
);
const EXTENSION_ENCODE: ReadonlyMap<string, number> = new Map([...EXTENSION].map(([code, ch]) => [ch, code]));

/**
 * Decodes unpacked GSM 7-bit septets to a string.
 * Octets above 0x7F are not septets and decode to '?'. An escape followed by a code with no
 * extension character decodes to the basic character (TS 23.038 fallback rule); a trailing
 * lone escape decodes to a space.
 */
export function decodeGsm7(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b > 0x7f) {
      out += '?';
    } else if (b === ESC) {
      const next = bytes[i + 1];
      if (next === undefined || next === ESC || next > 0x7f) {
        out += ' ';
        continue;
      }
      out += EXTENSION.get(next) ?? BASIC[next];
      i++;
    } else {
      out += BASIC[b];
    }
  }
  return out;
}

/**
 * Encodes a string to unpacked GSM 7-bit septets (extension characters cost two octets).
 * Returns null when any character is outside the default alphabet and its extension table.
 */
export function encodeGsm7(text: string): Buffer | null {
  const out: number[] = [];
  for (const ch of text) {
    const basic = BASIC_ENCODE.get(ch);
    if (basic !== undefined) {
      out.push(basic);
      continue;
    }
    const ext = EXTENSION_ENCODE.get(ch);
    if (ext === undefined) return null;
    out.push(ESC, ext);
  }
  return Buffer.from(out);
}

/** Decodes UCS-2 / UTF-16 big-endian octets (data_coding 8); a trailing odd octet is ignored. */
export function decodeUcs2(bytes: Uint8Array): string {
  const even = bytes.length - (bytes.length % 2);
  const swapped = Buffer.from(bytes.subarray(0, even));
  swapped.swap16();
  return swapped.toString('utf16le');
}

/** Encodes a string as UTF-16 big-endian octets (data_coding 8; surrogate pairs kept as two units). */
export function encodeUcs2(text: string): Buffer {
  return Buffer.from(text, 'utf16le').swap16();
}
