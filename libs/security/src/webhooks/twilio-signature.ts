import { createHmac } from 'node:crypto';
import { assertSecret, constantTimeEqual } from '../primitives';
import { SignatureVerificationError } from '../errors';
import { HeaderInput, requireHeader } from './headers';

/** Form parameters of a Twilio callback; a repeated parameter is a list of values. */
export type TwilioParams = Readonly<Record<string, string | readonly string[]>>;

/**
 * Verifies Twilio's `X-Twilio-Signature` (Twilio Docs, "Webhooks security"): base64
 * HMAC-SHA1(auth token, URL + every POST parameter as name then value, names sorted;
 * a repeated name contributes one name+value per value, values sorted). Twilio signs
 * the URL it called, so behind a proxy pass the externally visible URL, query string
 * included. The scheme has no timestamp: dedupe on the resource SID. JSON-bodied
 * callbacks (`bodySHA256`) are not covered.
 *
 * @param authToken the account auth token, used as UTF-8 bytes.
 * @param header the `X-Twilio-Signature` header value.
 * @param url the full URL Twilio requested, e.g. `https://example.com/sms?foo=1`.
 * @param params the decoded form parameters of a POST (empty for GET).
 * @throws SignatureVerificationError `missing_header` or `bad_signature`.
 * @throws SecurityConfigError `invalid_secret` when the auth token is empty.
 */
export function verifyTwilioSignature(authToken: string, header: HeaderInput, url: string, params: TwilioParams): void {
  assertSecret(authToken, 'Twilio auth token');
  const signature = requireHeader(header, 'X-Twilio-Signature');
  let data = url;
  for (const name of Object.keys(params).sort()) {
    const value = params[name];
    const values = typeof value === 'string' ? [value] : [...value].sort();
    for (const v of values) data += name + v;
  }
  const expected = createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
  if (!constantTimeEqual(signature, expected)) {
    throw new SignatureVerificationError('bad_signature', 'X-Twilio-Signature does not match');
  }
}
