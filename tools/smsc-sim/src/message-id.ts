/** SMSC message ids returned in submit_sm_resp and echoed in receipts. */
import { randomBytes } from 'node:crypto';

/**
 * A new id: 16 upper-case hex digits, first digit never 0 (64 random bits).
 * Jasmin upper-cases ids and strips leading zeros before correlating a receipt with its
 * submit_sm_resp, so ids in this shape survive that unchanged.
 */
export function newMessageId(): string {
  const b = randomBytes(8);
  b[0] = (b[0]! & 0x0f) | ((1 + (b[0]! % 15)) << 4);
  return b.toString('hex').toUpperCase();
}
