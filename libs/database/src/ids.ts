import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const ID_BYTES = 24;
/** Random bytes are drawn 256 ids at a time, as node's randomUUID does: one CSPRNG call per 256 ids, not per id. */
const POOL_BYTES = ID_BYTES * 256;

let pool = Buffer.alloc(0);
let offset = 0;

/**
 * Id prefixes: messages, projects, API keys, phone numbers, calls, flows, recordings, audit
 * records, opt-outs, sender ids (alphanumeric grants), erasure requests, SMS connectors, SMS routes,
 * message submissions (one per attempt on a connector).
 */
export type IdPrefix = 'msg' | 'prj' | 'key' | 'pn' | 'call' | 'flw' | 'rec' | 'aud' | 'opt' | 'snd' | 'era' | 'conn' | 'rte' | 'sub';

/**
 * A prefixed, opaque identifier: `<prefix>_` + 24 base62 chars (~143 bits of randomness),
 * e.g. `msg_3kT9...`. Never a database serial, so ids reveal neither volume nor order.
 */
export function newId(prefix: IdPrefix): string {
  if (offset + ID_BYTES > pool.length) {
    pool = randomBytes(POOL_BYTES);
    offset = 0;
  }
  let out = '';
  for (let i = offset; i < offset + ID_BYTES; i++) out += ALPHABET[pool[i] % 62];
  offset += ID_BYTES;
  return `${prefix}_${out}`;
}
