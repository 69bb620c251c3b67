import { analyzeText, SEGMENT_LIMITS } from '@gw/sms-text';
import { ORACLE_BASIC, ORACLE_EXTENSION, oracleCost, oracleIsGsm7, oracleUnits, seededRandom } from './testing/gsm7-oracle';

const a = (n: number): string => 'a'.repeat(n);
const zhe = (n: number): string => 'Ж'.repeat(n); // Cyrillic: one UCS-2 code unit, not GSM-7
const GRIN = '😀'; // U+1F600, a surrogate pair: 2 UCS-2 code units

describe('analyzeText: GSM 03.38 alphabet', () => {
  it('has 127 basic characters (128 positions less the escape) and 10 extension characters', () => {
    expect(new Set(ORACLE_BASIC).size).toBe(127);
    expect(new Set(ORACLE_EXTENSION).size).toBe(10);
  });

  it.each(ORACLE_BASIC.map((c) => [JSON.stringify(c), c]))('counts basic character %s as 1 septet', (_, c) => {
    expect(analyzeText(c)).toMatchObject({ encoding: 'GSM-7', units: 1, segments: 1 });
  });

  it.each(ORACLE_EXTENSION.map((c) => [JSON.stringify(c), c]))('counts extension character %s as 2 septets', (_, c) => {
    expect(analyzeText(c)).toMatchObject({ encoding: 'GSM-7', units: 2, segments: 1 });
  });

  it('reads the table edges in the right places', () => {
    expect(analyzeText('@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ').units).toBe(31);
    expect(analyzeText(' !"#¤%&\'()*+,-./0123456789:;<=>?').units).toBe(32);
    expect(analyzeText('¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà').units).toBe(64);
  });

  it.each([
    ['small c cedilla', 'ç'],
    ['grave accent', '`'],
    ['a acute', 'á'],
    ['i acute', 'í'],
    ['e circumflex', 'ê'],
    ['A grave', 'À'],
    ['a tilde', 'ã'],
    ['Greek capital alpha (looks like A)', 'Α'],
    ['Greek small delta', 'δ'],
    ['tab', '\t'],
    ['no-break space', '\u00a0'],
    ['right single quotation mark', '\u2019'],
    ['left double quotation mark', '\u201c'],
    ['en dash', '\u2013'],
    ['ellipsis', '\u2026'],
    ['the escape code itself', '\u001b'],
    ['NUL', '\u0000'],
    ['DEL', '\u007f'],
    ['micro sign', 'µ'],
    ['fullwidth yen sign (¥ is basic, this is not)', '￥'],
  ])('switches to UCS-2 for %s', (_, c) => {
    expect(analyzeText(`Hello ${c}`)).toMatchObject({ encoding: 'UCS-2', units: 7 });
  });
});

describe('analyzeText: GSM-7 segment boundaries (160 / 153)', () => {
  it('fits 160 septets in one segment and splits 161 into 153 + 8', () => {
    expect(analyzeText(a(160))).toEqual({ encoding: 'GSM-7', segments: 1, units: 160, perSegment: 160, parts: [a(160)] });
    expect(analyzeText(a(161))).toEqual({
      encoding: 'GSM-7',
      segments: 2,
      units: 161,
      perSegment: 153,
      parts: [a(153), a(8)],
    });
  });

  it('counts extension characters double at the single-segment boundary', () => {
    expect(analyzeText(a(158) + '€')).toMatchObject({ segments: 1, units: 160 });
    expect(analyzeText(a(159) + '€')).toMatchObject({ segments: 2, units: 161, parts: [a(153), a(6) + '€'] });
    expect(analyzeText('{'.repeat(80))).toMatchObject({ segments: 1, units: 160 });
    expect(analyzeText('{'.repeat(81))).toMatchObject({ segments: 2, units: 162, parts: ['{'.repeat(76), '{'.repeat(5)] });
  });

  it('fills multipart segments to exactly 153 septets', () => {
    expect(analyzeText(a(306))).toMatchObject({ segments: 2, parts: [a(153), a(153)] });
    expect(analyzeText(a(307))).toMatchObject({ segments: 3, parts: [a(153), a(153), a(1)] });
    expect(analyzeText(a(151) + '|')).toMatchObject({ segments: 1, units: 153 });
    expect(analyzeText(a(151) + '|' + a(10))).toMatchObject({ parts: [a(151) + '|', a(10)] });
  });

  it('never splits an escape pair: the extension character moves whole to the next part', () => {
    const text = a(152) + '€' + 'b'.repeat(10);
    expect(analyzeText(text)).toEqual({
      encoding: 'GSM-7',
      segments: 2,
      units: 164,
      perSegment: 153,
      parts: [a(152), '€' + 'b'.repeat(10)],
    });
  });

  it('counts the extra segment a moved escape pair can cost (more than ceil(units / 153))', () => {
    const result = analyzeText(a(152) + '€' + a(152));
    expect(result.units).toBe(306);
    expect(result.segments).toBe(3);
    expect(result.parts).toEqual([a(152), '€' + a(151), a(1)]);
  });

  it('counts form feed and newline correctly (2 and 1 septets)', () => {
    expect(analyzeText('a\fb\nc\r')).toMatchObject({ encoding: 'GSM-7', units: 7 });
  });
});

describe('analyzeText: UCS-2 segment boundaries (70 / 67)', () => {
  it('fits 70 code units in one segment and splits 71 into 67 + 4', () => {
    expect(analyzeText(zhe(70))).toEqual({ encoding: 'UCS-2', segments: 1, units: 70, perSegment: 70, parts: [zhe(70)] });
    expect(analyzeText(zhe(71))).toEqual({
      encoding: 'UCS-2',
      segments: 2,
      units: 71,
      perSegment: 67,
      parts: [zhe(67), zhe(4)],
    });
  });

  it('counts an emoji as 2 code units at the single-segment boundary', () => {
    expect(analyzeText(zhe(68) + GRIN)).toMatchObject({ encoding: 'UCS-2', segments: 1, units: 70 });
    expect(analyzeText(zhe(69) + GRIN)).toMatchObject({ encoding: 'UCS-2', segments: 2, units: 71 });
    expect(analyzeText(GRIN.repeat(35))).toMatchObject({ segments: 1, units: 70 });
    expect(analyzeText(GRIN.repeat(36))).toMatchObject({ segments: 2, units: 72, parts: [GRIN.repeat(33), GRIN.repeat(3)] });
  });

  it('never splits a surrogate pair: the emoji moves whole to the next part', () => {
    const text = zhe(66) + GRIN + zhe(10);
    expect(analyzeText(text)).toEqual({
      encoding: 'UCS-2',
      segments: 2,
      units: 78,
      perSegment: 67,
      parts: [zhe(66), GRIN + zhe(10)],
    });
  });

  it('makes a mostly-GSM text UCS-2 because of one emoji, and counts extension characters as 1 unit there', () => {
    expect(analyzeText('Hello world 😀')).toEqual({
      encoding: 'UCS-2',
      segments: 1,
      units: 14,
      perSegment: 70,
      parts: ['Hello world 😀'],
    });
    expect(analyzeText('ç' + '{'.repeat(69))).toMatchObject({ encoding: 'UCS-2', segments: 1, units: 70 });
    expect(analyzeText('€'.repeat(70) + 'ç')).toMatchObject({ encoding: 'UCS-2', segments: 2, units: 71 });
  });

  it('counts a lone surrogate as one code unit', () => {
    expect(analyzeText('\ud83d')).toMatchObject({ encoding: 'UCS-2', units: 1, parts: ['\ud83d'] });
  });
});

describe('analyzeText: empty text', () => {
  it('is one GSM-7 segment of 0 units, as carriers bill it', () => {
    expect(analyzeText('')).toEqual({ encoding: 'GSM-7', segments: 1, units: 0, perSegment: 160, parts: [''] });
  });
});

describe('analyzeText: properties over seeded generated texts', () => {
  const random = seededRandom(0x5e9_3e47);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const NON_GSM_BMP = ['ç', 'Ж', '中', 'á', '\u2019', 'δ', '\t'];
  const ASTRAL = [GRIN, '👍🏽', '𝄞', '🇫🇷'];

  const generate = (): string => {
    const mode = random();
    // Lengths cluster around the segment boundaries so edges get exercised.
    const length =
      pick([0, 1, 34, 35, 66, 67, 68, 69, 70, 71, 76, 77, 80, 81, 152, 153, 154, 159, 160, 161, 305, 306, 307, 460]) +
      Math.floor(random() * 3);
    let text = '';
    for (let i = 0; i < length; i++) {
      const r = random();
      if (mode < 0.5) text += r < 0.3 ? pick(ORACLE_EXTENSION) : pick(ORACLE_BASIC);
      else if (mode < 0.8) text += r < 0.02 ? pick(NON_GSM_BMP) : r < 0.2 ? pick(ORACLE_EXTENSION) : pick(ORACLE_BASIC);
      else text += r < 0.4 ? pick(ASTRAL) : r < 0.7 ? pick(NON_GSM_BMP) : pick(ORACLE_BASIC);
    }
    return text;
  };

  const samples = Array.from({ length: 600 }, generate);

  it('generates a useful mix of encodings and multipart texts', () => {
    const results = samples.map(analyzeText);
    expect(results.filter((r) => r.encoding === 'GSM-7' && r.segments > 1).length).toBeGreaterThan(50);
    expect(results.filter((r) => r.encoding === 'UCS-2' && r.segments > 1).length).toBeGreaterThan(50);
    expect(results.filter((r) => r.segments === 1).length).toBeGreaterThan(50);
  });

  it.each(samples.map((text, i) => [i, text]))('sample %i keeps every invariant', (_, text) => {
    const result = analyzeText(text);
    const encoding = oracleIsGsm7(text) ? 'GSM-7' : 'UCS-2';
    const limits = SEGMENT_LIMITS[encoding];
    const cost = (s: string): number => oracleUnits(s, encoding);

    expect(result.encoding).toBe(encoding);
    expect(result.units).toBe(cost(text));
    expect(result.parts.join('')).toBe(text);
    expect(result.segments).toBe(result.parts.length);
    expect(result.perSegment).toBe(result.units <= limits.single ? limits.single : limits.multipart);
    expect(result.segments === 1).toBe(result.units <= limits.single);

    result.parts.forEach((part, i) => {
      expect(cost(part)).toBeLessThanOrEqual(result.perSegment);
      expect(/^[\udc00-\udfff]/.test(part) || /[\ud800-\udbff]$/.test(part)).toBe(false);
      const next = result.parts[i + 1];
      if (next !== undefined) {
        // Greedy: the part is closed only because the next character would not fit.
        const firstOfNext = Array.from(next)[0];
        expect(cost(part) + oracleCost(firstOfNext, encoding)).toBeGreaterThan(result.perSegment);
      }
    });
  });
});
