/**
 * Test-only oracle: the GSM 7-bit default alphabet written as Unicode code points,
 * transcribed from the Unicode mapping of 3GPP TS 23.038 (GSM0338.TXT) rather than
 * from the production table, so a typo in one does not hide in the other.
 */
const BASIC_CODE_POINTS: readonly number[] = [
  // 0x00-0x0F: @ £ $ ¥ è é ù ì ò Ç LF Ø ø CR Å å
  0x40,
  0xa3,
  0x24,
  0xa5,
  0xe8,
  0xe9,
  0xf9,
  0xec,
  0xf2,
  0xc7,
  0x0a,
  0xd8,
  0xf8,
  0x0d,
  0xc5,
  0xe5,
  // 0x10-0x1F: Δ _ Φ Γ Λ Ω Π Ψ Σ Θ Ξ (ESC) Æ æ ß É
  0x394,
  0x5f,
  0x3a6,
  0x393,
  0x39b,
  0x3a9,
  0x3a0,
  0x3a8,
  0x3a3,
  0x398,
  0x39e,
  0xc6,
  0xe6,
  0xdf,
  0xc9,
  // 0x20-0x3F: space ! " # ¤ % & ' ( ) * + , - . / 0-9 : ; < = > ?
  0x20,
  0x21,
  0x22,
  0x23,
  0xa4,
  ...range(0x25, 0x3f),
  // 0x40-0x5F: ¡ A-Z Ä Ö Ñ Ü §
  0xa1,
  ...range(0x41, 0x5a),
  0xc4,
  0xd6,
  0xd1,
  0xdc,
  0xa7,
  // 0x60-0x7F: ¿ a-z ä ö ñ ü à
  0xbf,
  ...range(0x61, 0x7a),
  0xe4,
  0xf6,
  0xf1,
  0xfc,
  0xe0,
];

// Extension table: FF ^ { } \ [ ~ ] | €
const EXTENSION_CODE_POINTS: readonly number[] = [0x0c, 0x5e, 0x7b, 0x7d, 0x5c, 0x5b, 0x7e, 0x5d, 0x7c, 0x20ac];

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

export const ORACLE_BASIC = BASIC_CODE_POINTS.map((cp) => String.fromCodePoint(cp));
export const ORACLE_EXTENSION = EXTENSION_CODE_POINTS.map((cp) => String.fromCodePoint(cp));

const basic = new Set(ORACLE_BASIC);
const extension = new Set(ORACLE_EXTENSION);

/** Cost of one code point: septets for GSM-7, UTF-16 code units for UCS-2. */
export function oracleCost(char: string, encoding: 'GSM-7' | 'UCS-2'): number {
  if (encoding === 'UCS-2') return char.length;
  if (basic.has(char)) return 1;
  if (extension.has(char)) return 2;
  throw new Error(`not GSM-7: U+${char.codePointAt(0)?.toString(16)}`);
}

export function oracleIsGsm7(text: string): boolean {
  return Array.from(text).every((c) => basic.has(c) || extension.has(c));
}

export function oracleUnits(text: string, encoding: 'GSM-7' | 'UCS-2'): number {
  return Array.from(text).reduce((sum, c) => sum + oracleCost(c, encoding), 0);
}

/** Deterministic PRNG (mulberry32): same seed, same sequence, on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
