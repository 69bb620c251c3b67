import { apiKeyMatches, bearerToken, generateApiKey, hashApiKey, parseApiKey } from '@gw/security';

const FIXED_KEY = 'gw_live_AbCd1234_0123456789abcdefghijABCDEFGHIJklmnopq';
// openssl: printf '%s' "$FIXED_KEY" | openssl dgst -sha256
const FIXED_HASH = '6d3507144354ddaac6cb75fede6fee96bc8d81c2a58a948b3e913df4569057c8';

describe('generateApiKey', () => {
  const keys = Array.from({ length: 200 }, generateApiKey);

  it('issues gw_live_<8 base62>_<43 base62> with the prefix and hash that belong to it', () => {
    for (const { key, prefix, hash } of keys) {
      expect(key).toMatch(/^gw_live_[0-9A-Za-z]{8}_[0-9A-Za-z]{43}$/);
      expect(key.slice('gw_live_'.length, 'gw_live_'.length + 8)).toBe(prefix);
      expect(parseApiKey(key)).toBe(prefix);
      expect(hash).toBe(hashApiKey(key));
      expect(apiKeyMatches(key, hash)).toBe(true);
    }
  });

  it('never repeats a key or a prefix', () => {
    expect(new Set(keys.map((k) => k.key)).size).toBe(keys.length);
    expect(new Set(keys.map((k) => k.prefix)).size).toBe(keys.length);
  });

  it('uses the whole base62 alphabet', () => {
    const seen = new Set(keys.flatMap((k) => [...k.key.slice('gw_live_'.length)]).filter((c) => c !== '_'));
    expect(seen.size).toBe(62);
  });
});

describe('bearerToken', () => {
  it('returns the token of a Bearer header, whatever the scheme case and spacing', () => {
    expect(bearerToken(`Bearer ${FIXED_KEY}`)).toBe(FIXED_KEY);
    expect(bearerToken(`bearer   ${FIXED_KEY}`)).toBe(FIXED_KEY);
  });

  it.each([
    ['no header', undefined],
    ['another scheme', `Basic ${FIXED_KEY}`],
    ['no token', 'Bearer '],
    ['two tokens', `Bearer ${FIXED_KEY} extra`],
  ])('returns null for %s', (_, header) => {
    expect(bearerToken(header)).toBeNull();
  });
});

describe('parseApiKey', () => {
  it('returns the prefix of a well-formed key', () => {
    expect(parseApiKey(FIXED_KEY)).toBe('AbCd1234');
    expect(parseApiKey(`gw_live_AbCd1234_${'x'.repeat(32)}`)).toBe('AbCd1234');
  });

  it.each([
    ['another marker', FIXED_KEY.replace('gw_live_', 'gw_test_')],
    ['a 7-character prefix', 'gw_live_AbCd123_0123456789abcdefghijABCDEFGHIJklmnopq'],
    ['a prefix with a hyphen', 'gw_live_AbCd-234_0123456789abcdefghijABCDEFGHIJklmnopq'],
    ['a 31-character secret', `gw_live_AbCd1234_${'x'.repeat(31)}`],
    ['a secret with an underscore', `gw_live_AbCd1234_${'x'.repeat(20)}_${'x'.repeat(20)}`],
    ['surrounding spaces', ` ${FIXED_KEY} `],
    ['a trailing newline', `${FIXED_KEY}\n`],
    ['empty', ''],
  ])('returns null for %s', (_, key) => {
    expect(parseApiKey(key)).toBeNull();
  });
});

describe('hashApiKey / apiKeyMatches', () => {
  it('hashes with SHA-256 to lowercase hex (vector from openssl dgst -sha256)', () => {
    expect(hashApiKey(FIXED_KEY)).toBe(FIXED_HASH);
  });

  it('matches only the key that was hashed', () => {
    expect(apiKeyMatches(FIXED_KEY, FIXED_HASH)).toBe(true);
    expect(apiKeyMatches(`${FIXED_KEY}r`, FIXED_HASH)).toBe(false);
    expect(apiKeyMatches(FIXED_KEY.slice(0, -1), FIXED_HASH)).toBe(false);
    expect(apiKeyMatches('', FIXED_HASH)).toBe(false);
  });

  it.each([
    ['an empty hash', ''],
    ['a truncated hash', FIXED_HASH.slice(0, 62)],
    ['uppercase hex', FIXED_HASH.toUpperCase()],
    ['non-hex characters', `${FIXED_HASH.slice(0, 63)}g`],
    ['a hash with a trailing newline', `${FIXED_HASH}\n`],
  ])('returns false for %s', (_, hash) => {
    expect(apiKeyMatches(FIXED_KEY, hash)).toBe(false);
  });
});
