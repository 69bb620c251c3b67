import { gsm7Septets } from './gsm7-alphabet';

/** Data coding of a text message: GSM 7-bit default alphabet or UCS-2 (UTF-16BE). */
export type SmsEncoding = 'GSM-7' | 'UCS-2';

/**
 * Units one segment carries, per encoding. A single-part message has the whole
 * 140-octet payload; in a multipart message each part loses 6 octets to the
 * concatenation UDH (3GPP TS 23.040 section 9.2.3.24.1), which is 7 septets for
 * GSM-7 once padded to a septet boundary. GSM-7 counts septets, UCS-2 counts UTF-16
 * code units.
 */
export const SEGMENT_LIMITS: Readonly<Record<SmsEncoding, { readonly single: number; readonly multipart: number }>> = Object.freeze({
  'GSM-7': Object.freeze({ single: 160, multipart: 153 }),
  'UCS-2': Object.freeze({ single: 70, multipart: 67 }),
});

/** Result of {@link analyzeText}. */
export interface TextAnalysis {
  /** `GSM-7` when every character is in the GSM 03.38 default alphabet, otherwise `UCS-2`. */
  readonly encoding: SmsEncoding;
  /** Number of SMS segments the carrier will send and bill; equals `parts.length`. */
  readonly segments: number;
  /** Length of the whole text: septets for GSM-7, UTF-16 code units for UCS-2. No UDH included. */
  readonly units: number;
  /** Capacity of each segment in `units` for this message: 160/153 (GSM-7) or 70/67 (UCS-2). */
  readonly perSegment: number;
  /**
   * The text as it will be split into segments. `parts.join('') === text`, and no part
   * ends between the two septets of an extension character or inside a surrogate pair.
   */
  readonly parts: readonly string[];
}

/**
 * Works out how a text message is encoded and split into SMS segments, per GSM 03.38 /
 * 3GPP TS 23.038 (alphabet) and 3GPP TS 23.040 (concatenation).
 *
 * - Every character in the basic table costs 1 septet; `^ { } \ [ ~ ] | €` and form
 *   feed cost 2 (escape + character).
 * - A single character outside the alphabet makes the whole message UCS-2, where each
 *   UTF-16 code unit counts 1 (an emoji outside the BMP counts 2).
 * - Up to 160 septets / 70 code units fit one segment; longer texts are split into
 *   parts of at most 153 septets / 67 code units. Parts are filled greedily and a
 *   two-unit character that would straddle a boundary moves whole to the next part, so
 *   a part can be one unit short and `segments` can exceed `ceil(units / 153)`.
 * - Grapheme clusters (flags, ZWJ emoji sequences) can be split between parts; the
 *   handset reassembles the message before display.
 *
 * Empty text is reported as one GSM-7 segment of 0 units with `parts` `['']`, which is
 * what a carrier bills for an empty message; callers that must not send empty bodies
 * reject them before calling this.
 *
 * Lone surrogates (ill-formed UTF-16) are counted as one UCS-2 code unit each.
 *
 * @param text the message body as a JavaScript string.
 * @returns the encoding, segment count, length in units, per-segment capacity and parts.
 *   Never throws.
 */
export function analyzeText(text: string): TextAnalysis {
  const chars = Array.from(text);
  const septets = chars.map(gsm7Septets);
  const isGsm7 = septets.every((s) => s !== null);

  const encoding: SmsEncoding = isGsm7 ? 'GSM-7' : 'UCS-2';
  const costs = isGsm7 ? (septets as number[]) : chars.map((c) => c.length);
  const units = costs.reduce((sum, c) => sum + c, 0);
  const limits = SEGMENT_LIMITS[encoding];

  if (units <= limits.single) {
    return { encoding, segments: 1, units, perSegment: limits.single, parts: [text] };
  }

  const parts = splitGreedily(chars, costs, limits.multipart);
  return { encoding, segments: parts.length, units, perSegment: limits.multipart, parts };
}

function splitGreedily(chars: readonly string[], costs: readonly number[], capacity: number): string[] {
  const parts: string[] = [];
  let current = '';
  let used = 0;
  chars.forEach((char, i) => {
    const cost = costs[i];
    if (used + cost > capacity) {
      parts.push(current);
      current = '';
      used = 0;
    }
    current += char;
    used += cost;
  });
  parts.push(current);
  return parts;
}
