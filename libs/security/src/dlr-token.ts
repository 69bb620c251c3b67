import { createHmac } from 'node:crypto';
import { assertSecret, constantTimeEqual } from './primitives';

/**
 * Signs a subject (a message id) into a URL-safe token. Jasmin cannot sign its
 * delivery-report callbacks, so the gateway puts `?token=signToken(secret, messageId)`
 * in each message's `dlr-url` and checks it when the callback arrives (Jasmin HTTP API
 * docs, "Receiving DLR": the callback has only Jasmin's own parameters, no signature).
 *
 * If the same secret signs other kinds of subject, give each kind its own prefix
 * (e.g. `dlr:<id>`) so a token for one cannot be replayed as another.
 *
 * @param secret HMAC key (UTF-8); should carry at least 32 bytes of entropy.
 * @param subject what the token vouches for, e.g. the message id.
 * @returns base64url (no padding) HMAC-SHA256(secret, subject): 43 characters.
 * @throws SecurityConfigError `invalid_secret` when the secret is empty.
 */
export function signToken(secret: string, subject: string): string {
  assertSecret(secret, 'DLR token');
  return createHmac('sha256', secret).update(subject, 'utf8').digest('base64url');
}

/**
 * Checks a token made by {@link signToken}, in constant time.
 *
 * @param secret the key it was signed with.
 * @param subject the subject the callback claims (e.g. its message id).
 * @param token the `token` query parameter as received; `undefined` when absent.
 * @returns true only when the token is exactly the signature of `subject`.
 * @throws SecurityConfigError `invalid_secret` when the secret is empty.
 */
export function verifyToken(secret: string, subject: string, token: string | undefined): boolean {
  const expected = signToken(secret, subject);
  return typeof token === 'string' && constantTimeEqual(token, expected);
}
