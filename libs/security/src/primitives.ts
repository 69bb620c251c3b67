import { timingSafeEqual } from 'node:crypto';
import { SecurityConfigError } from './errors';

/**
 * Compares two strings in time independent of where they differ. Only the length
 * can leak, which is public for every signature and hash format here.
 */
export function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * Refuses an empty HMAC key: with one, anybody can forge every signature.
 * @throws SecurityConfigError `invalid_secret`, naming only what the secret is for.
 */
export function assertSecret(secret: string, purpose: string): void {
  if (typeof secret !== 'string' || secret.length === 0) {
    throw new SecurityConfigError('invalid_secret', `The ${purpose} secret is empty`);
  }
}
