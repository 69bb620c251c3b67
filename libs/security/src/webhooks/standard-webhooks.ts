import { randomBytes } from 'node:crypto';
import { isUtf8 } from 'node:buffer';
import { Webhook } from 'standardwebhooks';
import { constantTimeEqual } from '../primitives';
import { SecurityConfigError, SignatureVerificationError } from '../errors';
import {
  assertFresh,
  currentUnixSeconds,
  DEFAULT_TOLERANCE_SECONDS,
  findHeader,
  FreshnessOptions,
  HeaderMap,
  parseUnixSeconds,
  requireHeader,
} from './headers';

/** A Standard Webhooks signing secret: `whsec_` followed by the base64 of the key bytes. */
export type WebhookSecret = `whsec_${string}`;

/** The three headers a Standard Webhooks request carries. */
export type StandardWebhookHeaders = {
  readonly 'webhook-id': string;
  readonly 'webhook-timestamp': string;
  readonly 'webhook-signature': string;
};

/** What {@link verifyWebhook} vouches for once the signature checks out. */
export interface VerifiedWebhook {
  /** `webhook-id`: the same for every retry of one message, so receivers dedupe on it. */
  readonly id: string;
  /** `webhook-timestamp`, unix seconds. */
  readonly timestampSeconds: number;
}

const SECRET_PREFIX = 'whsec_';
// Non-empty, padded standard base64.
const SECRET_FORMAT = /^whsec_(?=.)(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const SECRET_BYTES = 32;
const MESSAGE_ID_FORMAT = /^[\x21-\x7e]{1,255}$/;

/**
 * Creates a new Standard Webhooks secret (Standard Webhooks specification, "Signature
 * scheme": keys of 24 to 64 random bytes, shown base64-encoded with a `whsec_` prefix).
 *
 * @returns `whsec_` + standard base64 (with padding) of 32 random bytes from the CSPRNG,
 *   e.g. `whsec_3q2+7w...=`, 50 characters in all.
 */
export function generateWebhookSecret(): WebhookSecret {
  return `whsec_${randomBytes(SECRET_BYTES).toString('base64')}`;
}

/**
 * Signs an outgoing webhook per the Standard Webhooks specification: the signature is
 * `v1,` + base64 HMAC-SHA256(key, `{id}.{timestamp}.{body}`), computed by the
 * `standardwebhooks` reference library.
 *
 * @param secret `whsec_<base64 key>`; pass several to sign with each during a secret
 *   rotation, giving a space-separated signature list that receivers on either key accept.
 * @param id message id, stable across retries of the same message (visible ASCII, 1-255 chars).
 * @param timestampSeconds unix time of this attempt, in whole seconds.
 * @param rawBody the exact body that will be sent; a Buffer must be UTF-8.
 * @returns the `webhook-id`, `webhook-timestamp` and `webhook-signature` headers.
 * @throws SecurityConfigError `invalid_secret` when a secret is not `whsec_<base64>` of a non-empty key.
 * @throws RangeError when the id, timestamp or body is unusable.
 */
export function signWebhook(
  secret: string | readonly string[],
  id: string,
  timestampSeconds: number,
  rawBody: string | Buffer,
): StandardWebhookHeaders {
  if (!MESSAGE_ID_FORMAT.test(id)) {
    throw new RangeError('Webhook id must be 1-255 visible ASCII characters');
  }
  if (!Number.isSafeInteger(timestampSeconds) || timestampSeconds < 0) {
    throw new RangeError('Webhook timestamp must be a non-negative whole number of seconds');
  }
  const body = bodyAsText(rawBody);
  if (body === null) throw new RangeError('Webhook body must be UTF-8');

  const secrets = typeof secret === 'string' ? [secret] : secret;
  if (secrets.length === 0) throw new SecurityConfigError('invalid_secret', 'No webhook secret configured');
  const signature = secrets.map((s) => signatureFor(s, id, timestampSeconds, body)).join(' ');

  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestampSeconds),
    'webhook-signature': signature,
  };
}

/**
 * Verifies an incoming Standard Webhooks request over its raw body, before anything
 * parses it: the three headers must be present, one of the `v1,` signatures in
 * `webhook-signature` (space-separated) must match in constant time, and the timestamp
 * must be within the tolerance of now (300 s by default, Standard Webhooks
 * specification, "Verifying"). Signatures of other versions are ignored. The signature
 * is checked before the timestamp, so unauthenticated callers learn nothing about the
 * clock. Replays inside the window are the caller's to drop, by `id`.
 *
 * @param secret `whsec_<base64 key>`; pass the old and new secret during a rotation.
 * @param headers request headers as Node gives them (names case-insensitive).
 * @param rawBody the body bytes exactly as received; a Buffer must be UTF-8.
 * @param options clock (`nowSeconds`) and `toleranceSeconds`.
 * @returns the verified message id and timestamp.
 * @throws SignatureVerificationError with `reason` `missing_header`, `malformed_header`,
 *   `malformed_body`, `bad_signature` or `timestamp_out_of_tolerance`.
 * @throws SecurityConfigError `invalid_secret` when a configured secret is malformed.
 */
export function verifyWebhook(
  secret: string | readonly string[],
  headers: HeaderMap,
  rawBody: string | Buffer,
  options: FreshnessOptions = {},
): VerifiedWebhook {
  const secrets = typeof secret === 'string' ? [secret] : secret;
  if (secrets.length === 0) throw new SecurityConfigError('invalid_secret', 'No webhook secret configured');

  const id = requireHeader(findHeader(headers, 'webhook-id'), 'webhook-id');
  const timestampHeader = requireHeader(findHeader(headers, 'webhook-timestamp'), 'webhook-timestamp');
  const signatureHeader = requireHeader(findHeader(headers, 'webhook-signature'), 'webhook-signature');
  const timestampSeconds = parseUnixSeconds(timestampHeader, 'webhook-timestamp');

  const body = bodyAsText(rawBody);
  if (body === null) throw new SignatureVerificationError('malformed_body', 'Webhook body is not valid UTF-8');

  const offered = signatureHeader
    .split(' ')
    .filter((entry) => entry.startsWith('v1,'))
    .map((entry) => entry.slice('v1,'.length));
  const expected = secrets.map((s) => signatureFor(s, id, timestampSeconds, body).slice('v1,'.length));

  // Compare every pair, without stopping early, so timing does not reveal which matched.
  let matched = false;
  for (const candidate of offered) {
    for (const wanted of expected) matched = constantTimeEqual(candidate, wanted) || matched;
  }
  if (!matched) throw new SignatureVerificationError('bad_signature', 'No matching webhook signature');

  assertFresh(timestampSeconds, options.nowSeconds ?? currentUnixSeconds(), options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS);
  return { id, timestampSeconds };
}

function signatureFor(secret: string, id: string, timestampSeconds: number, body: string): string {
  return webhookFor(secret).sign(id, new Date(timestampSeconds * 1000), body);
}

/**
 * The reference library accepts a bare base64 key as well and reports bad keys with
 * messages of its own; insist on the prefixed form and never echo the secret.
 */
function webhookFor(secret: string): Webhook {
  if (!SECRET_FORMAT.test(secret)) {
    throw new SecurityConfigError('invalid_secret', `Webhook secret must be ${SECRET_PREFIX}<base64>`);
  }
  try {
    return new Webhook(secret);
  } catch {
    throw new SecurityConfigError('invalid_secret', `Webhook secret must be ${SECRET_PREFIX}<base64> of a non-empty key`);
  }
}

/**
 * The reference library signs text (it decodes a Buffer as UTF-8). Decoding invalid
 * UTF-8 is lossy and would let different byte strings share a signature, so such a
 * body is refused instead of decoded.
 */
function bodyAsText(rawBody: string | Buffer): string | null {
  if (typeof rawBody === 'string') return rawBody;
  return isUtf8(rawBody) ? rawBody.toString('utf8') : null;
}
