/**
 * Encodes text as UTF-16 big-endian hex, the form Jasmin's HTTP API takes in
 * `hex-content` with `coding=8` (UCS-2; Jasmin HTTP API docs, `/send` parameters, and
 * 3GPP TS 23.038 section 6.2.3). Characters outside the BMP are written as their
 * surrogate pair, which is what handsets decode; lone surrogates pass through as
 * they are, one code unit each, matching how {@link analyzeText} counts them.
 *
 * @param text the message body.
 * @returns lowercase hex, 4 digits per UTF-16 code unit (e.g. `'Hi😀'` ->
 *   `'00480069d83dde00'`); `''` for empty text. Never throws.
 */
export function encodeUcs2Hex(text: string): string {
  let hex = '';
  for (let i = 0; i < text.length; i++) {
    hex += text.charCodeAt(i).toString(16).padStart(4, '0');
  }
  return hex;
}
