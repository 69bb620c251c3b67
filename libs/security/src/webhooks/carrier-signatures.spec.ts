import { createHmac } from 'node:crypto';
import {
  SecurityConfigError,
  SignatureVerificationError,
  verifyGithubSignature,
  verifyStripeSignature,
  verifyTwilioSignature,
} from '@gw/security';

const reasonOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    if (error instanceof SignatureVerificationError) return error.reason;
    throw error;
  }
  return 'no error';
};

describe('verifyStripeSignature', () => {
  const SECRET = 'whsec_stripe_test_secret';
  const T = 1700000000;
  const BODY = '{"id":"evt_1","type":"sms.delivered"}';
  // openssl: printf '%s' "$T.$BODY" | openssl dgst -sha256 -hmac "$SECRET"
  const V1 = '0d29b73467664f53e4630e36575b40ac77762fac4fae30fab7a36a8f383ba948';
  const HEADER = `t=${T},v1=${V1}`;
  const AT_T = { nowSeconds: T };

  it('accepts the vector and returns the timestamp', () => {
    expect(verifyStripeSignature(SECRET, HEADER, BODY, AT_T)).toEqual({ timestampSeconds: T });
    expect(verifyStripeSignature(SECRET, HEADER, Buffer.from(BODY), AT_T)).toEqual({ timestampSeconds: T });
  });

  it('accepts any of several v1 signatures, in any field order, ignoring v0', () => {
    const header = `v0=${'0'.repeat(64)}, v1=${'a'.repeat(64)}, t=${T}, v1=${V1}`;
    expect(verifyStripeSignature(SECRET, header, BODY, AT_T).timestampSeconds).toBe(T);
  });

  it('uses the secret string itself as the key, not its base64 decoding', () => {
    const asStripeDoes = createHmac('sha256', SECRET).update(`${T}.${BODY}`).digest('hex');
    expect(asStripeDoes).toBe(V1);
  });

  it('applies a 300 s tolerance either side of now', () => {
    expect(verifyStripeSignature(SECRET, HEADER, BODY, { nowSeconds: T + 300 }).timestampSeconds).toBe(T);
    expect(verifyStripeSignature(SECRET, HEADER, BODY, { nowSeconds: T - 300 }).timestampSeconds).toBe(T);
    expect(reasonOf(() => verifyStripeSignature(SECRET, HEADER, BODY, { nowSeconds: T + 301 }))).toBe('timestamp_out_of_tolerance');
    expect(reasonOf(() => verifyStripeSignature(SECRET, HEADER, BODY, { nowSeconds: T - 301 }))).toBe('timestamp_out_of_tolerance');
  });

  it.each([
    ['a changed body', HEADER, `${BODY} `],
    ['a changed timestamp', `t=${T + 1},v1=${V1}`, BODY],
    ['a truncated signature', `t=${T},v1=${V1.slice(0, -1)}`, BODY],
    ['the signature only under v0', `t=${T},v0=${V1},v1=${'b'.repeat(64)}`, BODY],
  ])('rejects %s as bad_signature', (_, header, body) => {
    expect(reasonOf(() => verifyStripeSignature(SECRET, header, body, AT_T))).toBe('bad_signature');
  });

  it.each([
    ['no header', undefined, 'missing_header'],
    ['an empty header', '', 'missing_header'],
    ['no timestamp', `v1=${V1}`, 'malformed_header'],
    ['two timestamps', `t=${T},t=${T},v1=${V1}`, 'malformed_header'],
    ['no v1', `t=${T},v0=${V1}`, 'malformed_header'],
    ['a non-numeric timestamp', `t=soon,v1=${V1}`, 'malformed_header'],
  ])('rejects %s', (_, header, reason) => {
    expect(reasonOf(() => verifyStripeSignature(SECRET, header, BODY, AT_T))).toBe(reason);
  });

  it('refuses an empty secret as configuration, not as a bad request', () => {
    expect(() => verifyStripeSignature('', HEADER, BODY, AT_T)).toThrow(SecurityConfigError);
  });
});

describe('verifyGithubSignature', () => {
  // Vector of GitHub Docs, "Validating webhook deliveries" (testing the payload validation).
  const SECRET = "It's a Secret to Everybody";
  const BODY = 'Hello, World!';
  const HEADER = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';

  it('accepts the vector, as text or bytes, in either hex case', () => {
    expect(() => verifyGithubSignature(SECRET, HEADER, BODY)).not.toThrow();
    expect(() => verifyGithubSignature(SECRET, HEADER, Buffer.from(BODY))).not.toThrow();
    expect(() => verifyGithubSignature(SECRET, `sha256=${HEADER.slice(7).toUpperCase()}`, BODY)).not.toThrow();
  });

  it.each([
    ['a changed body', SECRET, HEADER, 'Hello, World?'],
    ['another secret', 'not the secret', HEADER, BODY],
  ])('rejects %s as bad_signature', (_, secret, header, body) => {
    expect(reasonOf(() => verifyGithubSignature(secret, header, body))).toBe('bad_signature');
  });

  it.each([
    ['no header', undefined, 'missing_header'],
    ['the SHA-1 header format', 'sha1=01dc10d0c83e72ed246219cdd91669667fe2ca59', 'malformed_header'],
    ['a bare hex digest', HEADER.slice(7), 'malformed_header'],
    ['a truncated digest', HEADER.slice(0, -1), 'malformed_header'],
    ['a repeated header', [HEADER, HEADER], 'malformed_header'],
  ])('rejects %s', (_, header, reason) => {
    expect(reasonOf(() => verifyGithubSignature(SECRET, header, BODY))).toBe(reason);
  });
});

describe('verifyTwilioSignature', () => {
  // Vector of Twilio Docs, "Webhooks security" (validating signatures).
  const TOKEN = '12345';
  const URL = 'https://mycompany.com/myapp.php?foo=1&bar=2';
  const PARAMS = {
    CallSid: 'CA1234567890ABCDE',
    Caller: '+12349013030',
    Digits: '1234',
    From: '+12349013030',
    To: '+18005551212',
  };
  const SIGNATURE = '0/KCTR6DLpKmkAf8muzZqo1nDgQ=';

  it('accepts the vector', () => {
    expect(() => verifyTwilioSignature(TOKEN, SIGNATURE, URL, PARAMS)).not.toThrow();
  });

  it('does not depend on the order the parameters arrive in', () => {
    const reversed = Object.fromEntries(Object.entries(PARAMS).reverse());
    expect(() => verifyTwilioSignature(TOKEN, SIGNATURE, URL, reversed)).not.toThrow();
  });

  it('signs each value of a repeated parameter, values sorted', () => {
    const params = { To: '+18005551212', MediaUrl: ['https://b.example/2', 'https://a.example/1'] };
    const data = `${URL}MediaUrlhttps://a.example/1MediaUrlhttps://b.example/2To+18005551212`;
    const signature = createHmac('sha1', TOKEN).update(data).digest('base64');
    expect(() => verifyTwilioSignature(TOKEN, signature, URL, params)).not.toThrow();
  });

  it.each([
    ['another URL (e.g. the internal one behind a proxy)', URL.replace('https://mycompany.com', 'http://10.0.0.5:3000'), PARAMS],
    ['a changed parameter', URL, { ...PARAMS, Digits: '1235' }],
    ['an extra parameter', URL, { ...PARAMS, Extra: 'x' }],
    ['a missing parameter', URL, { ...PARAMS, To: undefined as unknown as string }],
  ])('rejects %s as bad_signature', (_, url, params) => {
    const clean = Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined));
    expect(reasonOf(() => verifyTwilioSignature(TOKEN, SIGNATURE, url, clean))).toBe('bad_signature');
  });

  it('rejects another token and a missing header', () => {
    expect(reasonOf(() => verifyTwilioSignature('54321', SIGNATURE, URL, PARAMS))).toBe('bad_signature');
    expect(reasonOf(() => verifyTwilioSignature(TOKEN, undefined, URL, PARAMS))).toBe('missing_header');
  });
});
