import { createHmac } from 'node:crypto';
import { assertSecret, constantTimeEqual } from '../primitives';
import { SignatureVerificationError } from '../errors';
import {
  assertFresh,
  currentUnixSeconds,
  DEFAULT_TOLERANCE_SECONDS,
  FreshnessOptions,
  HeaderInput,
  parseUnixSeconds,
  requireHeader,
} from './headers';

/**
 * Verifies a Stripe-style signature header, `t=<unix s>,v1=<hex>[,v1=<hex>...]`, where
 * each `v1` is hex HMAC-SHA256(secret, `{t}.{rawBody}`) (Stripe, "Check the webhook
 * signatures"). The secret is used as-is, UTF-8 encoded: Stripe's `whsec_...` string is
 * the key, it is not base64-decoded as Standard Webhooks secrets are. Other schemes
 * (`v0=`) are ignored. The signature is checked first, then |now - t| <= tolerance.
 *
 * @param secret the endpoint's signing secret.
 * @param header the `Stripe-Signature` header value.
 * @param rawBody the body exactly as received.
 * @param options clock (`nowSeconds`) and `toleranceSeconds` (default 300).
 * @returns the signed timestamp, unix seconds.
 * @throws SignatureVerificationError `missing_header`, `malformed_header` (no `t` or no
 *   `v1`), `bad_signature` or `timestamp_out_of_tolerance`.
 * @throws SecurityConfigError `invalid_secret` when the secret is empty.
 */
export function verifyStripeSignature(
  secret: string,
  header: HeaderInput,
  rawBody: string | Buffer,
  options: FreshnessOptions = {},
): { readonly timestampSeconds: number } {
  assertSecret(secret, 'Stripe webhook');
  const value = requireHeader(header, 'Stripe-Signature');
  const fields = value.split(',').map((field) => {
    const eq = field.indexOf('=');
    return eq < 0 ? { key: field.trim(), value: '' } : { key: field.slice(0, eq).trim(), value: field.slice(eq + 1).trim() };
  });
  const timestamps = fields.filter((f) => f.key === 't');
  const signatures = fields.filter((f) => f.key === 'v1').map((f) => f.value);
  if (timestamps.length !== 1 || signatures.length === 0) {
    throw new SignatureVerificationError('malformed_header', 'Stripe-Signature needs one t= and at least one v1=');
  }
  const timestampSeconds = parseUnixSeconds(timestamps[0].value, 'Stripe-Signature t');

  const expected = createHmac('sha256', secret).update(`${timestamps[0].value}.`).update(rawBody).digest('hex');
  let matched = false;
  for (const candidate of signatures) matched = constantTimeEqual(candidate.toLowerCase(), expected) || matched;
  if (!matched) throw new SignatureVerificationError('bad_signature', 'No matching Stripe-Signature v1 signature');

  assertFresh(timestampSeconds, options.nowSeconds ?? currentUnixSeconds(), options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS);
  return { timestampSeconds };
}
