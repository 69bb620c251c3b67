import { createHash, hash as oneShotHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A newly issued API key. Show `key` to its owner once; store only `prefix` and `hash`. */
export interface GeneratedApiKey {
  /** The full key, `gw_live_<prefix>_<secret>`: 8 + 43 base62 characters after the marker. */
  readonly key: string;
  /** 8 base62 characters, stored in clear and indexed, to find the key's row. */
  readonly prefix: string;
  /** SHA-256 of the whole key, lowercase hex (64 characters). */
  readonly hash: string;
}

const MARKER = 'gw_live_';
const PREFIX_LENGTH = 8;
const SECRET_LENGTH = 43; // 43 base62 characters = 256 bits of entropy
const KEY_FORMAT = /^gw_live_([0-9A-Za-z]{8})_[0-9A-Za-z]{32,128}$/;
const HASH_FORMAT = /^[0-9a-f]{64}$/;
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * Issues a new API key: `gw_live_` + an 8-character lookup prefix + `_` + a
 * 43-character secret, all base62 from the CSPRNG (no bias: bytes >= 248 are
 * discarded). Base62 keeps the key one "word" for copy and paste and unambiguous to
 * parse; the `gw_live_` marker lets secret scanners recognise leaked keys.
 *
 * @returns the key, its prefix and its SHA-256 hash (see {@link hashApiKey}).
 */
export function generateApiKey(): GeneratedApiKey {
  const prefix = randomBase62(PREFIX_LENGTH);
  const key = `${MARKER}${prefix}_${randomBase62(SECRET_LENGTH)}`;
  return { key, prefix, hash: hashApiKey(key) };
}

const BEARER = /^Bearer\s+(\S+)$/i;

/**
 * The credential of an `Authorization: Bearer <token>` header (RFC 6750 section 2.1; the scheme
 * is case-insensitive).
 *
 * @returns the token, or `null` when the header is absent, of another scheme or malformed.
 */
export function bearerToken(authorization: string | undefined): string | null {
  return BEARER.exec(authorization ?? '')?.[1] ?? null;
}

/**
 * Reads the lookup prefix out of a presented key, checking its shape only (marker,
 * 8-character base62 prefix, 32 to 128 base62 secret characters).
 *
 * @param key the key as presented, e.g. from `Authorization: Bearer`.
 * @returns the prefix, or `null` when the value is not shaped like one of our keys.
 */
export function parseApiKey(key: string): string | null {
  const match = KEY_FORMAT.exec(key);
  return match === null ? null : match[1];
}

/**
 * Hashes a key for storage: SHA-256 of its UTF-8 bytes, lowercase hex. A fast hash is
 * the right tool here, unlike for passwords: the key holds 256 random bits, so nobody
 * can guess it from the hash however cheap each guess is, and a slow KDF (bcrypt,
 * argon2) would only add latency to every authenticated request.
 *
 * @param key the full key.
 * @returns 64 lowercase hex characters.
 */
export function hashApiKey(key: string): string {
  return oneShotHash('sha256', key, 'hex');
}

/**
 * Checks a presented key against a stored hash in constant time.
 *
 * @param key the key as presented.
 * @param hash the stored {@link hashApiKey} value.
 * @returns true when `hashApiKey(key) === hash`; false as well when `hash` is not
 *   64 lowercase hex characters.
 */
export function apiKeyMatches(key: string, hash: string): boolean {
  if (!HASH_FORMAT.test(hash)) return false;
  const presented = createHash('sha256').update(key, 'utf8').digest();
  return timingSafeEqual(presented, Buffer.from(hash, 'hex'));
}

function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248 && out.length < length) out += BASE62[byte % 62];
    }
  }
  return out;
}
