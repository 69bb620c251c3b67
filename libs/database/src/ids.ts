import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * A prefixed, opaque identifier: `<prefix>_` + 24 base62 chars (~143 bits of randomness),
 * e.g. `msg_3kT9...`. Never a database serial, so ids reveal neither volume nor order.
 */
export function newId(prefix: 'msg' | 'prj' | 'key' | 'pn' | 'call' | 'flw' | 'rec'): string {
  const bytes = randomBytes(24);
  let out = '';
  for (const b of bytes) out += ALPHABET[b % 62];
  return `${prefix}_${out}`;
}
