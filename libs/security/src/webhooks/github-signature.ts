import { createHmac } from 'node:crypto';
import { assertSecret, constantTimeEqual } from '../primitives';
import { SignatureVerificationError } from '../errors';
import { HeaderInput, requireHeader } from './headers';

const FORMAT = /^sha256=([0-9a-fA-F]{64})$/;

/**
 * Verifies a GitHub-style `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(secret, rawBody)>`
 * header (GitHub Docs, "Validating webhook deliveries"). The scheme has no timestamp, so
 * it cannot stop replays: dedupe on the delivery id.
 *
 * @param secret the webhook secret, used as UTF-8 bytes.
 * @param header the `X-Hub-Signature-256` header value.
 * @param rawBody the body exactly as received.
 * @throws SignatureVerificationError `missing_header`, `malformed_header` (not `sha256=`
 *   and 64 hex digits) or `bad_signature`.
 * @throws SecurityConfigError `invalid_secret` when the secret is empty.
 */
export function verifyGithubSignature(secret: string, header: HeaderInput, rawBody: string | Buffer): void {
  assertSecret(secret, 'GitHub webhook');
  const value = requireHeader(header, 'X-Hub-Signature-256');
  const match = FORMAT.exec(value);
  if (match === null) {
    throw new SignatureVerificationError('malformed_header', 'X-Hub-Signature-256 must be sha256=<64 hex digits>');
  }
  const expected = createHmac('sha256', secret).update(rawBody).digest('hex');
  if (!constantTimeEqual(match[1].toLowerCase(), expected)) {
    throw new SignatureVerificationError('bad_signature', 'X-Hub-Signature-256 does not match');
  }
}
