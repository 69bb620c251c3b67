import { Webhook } from 'standardwebhooks';
import { generateWebhookSecret, SecurityConfigError, signWebhook, SignatureVerificationError, verifyWebhook } from '@gw/security';

// Test vector of the Standard Webhooks reference libraries (github.com/standard-webhooks/standard-webhooks,
// libraries/javascript/src/webhook.test.ts "sign function works"); scheme per spec/standard-webhooks.md.
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const ID = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
const TS = 1614265330;
const BODY = '{"test": 2432232314}';
const SIGNATURE = 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=';
const HEADERS = { 'webhook-id': ID, 'webhook-timestamp': String(TS), 'webhook-signature': SIGNATURE };
const AT_TS = { nowSeconds: TS };

const failure = (fn: () => unknown): SignatureVerificationError => {
  try {
    fn();
  } catch (error) {
    if (error instanceof SignatureVerificationError) return error;
    throw error;
  }
  throw new Error('expected a SignatureVerificationError');
};

describe('signWebhook', () => {
  it('reproduces the vector of the reference library', () => {
    expect(signWebhook(SECRET, ID, TS, BODY)).toEqual(HEADERS);
  });

  it('signs a Buffer body like the same text', () => {
    expect(signWebhook(SECRET, ID, TS, Buffer.from(BODY))).toEqual(HEADERS);
  });

  it('lists one signature per secret during a rotation, space-separated', () => {
    const next = generateWebhookSecret();
    const headers = signWebhook([SECRET, next], ID, TS, BODY);
    const [first, second] = headers['webhook-signature'].split(' ');
    expect(first).toBe(SIGNATURE);
    expect(second).toBe(signWebhook(next, ID, TS, BODY)['webhook-signature']);
  });

  it.each([
    ['an empty id', '', TS],
    ['an id with a space', 'msg 1', TS],
    ['an id with a newline', 'msg\n1', TS],
    ['a fractional timestamp', ID, 1614265330.5],
    ['a negative timestamp', ID, -1],
    ['a millisecond timestamp beyond safe integers', ID, Number.MAX_SAFE_INTEGER + 2],
  ])('refuses %s', (_, id, ts) => {
    expect(() => signWebhook(SECRET, id, ts, BODY)).toThrow(RangeError);
  });

  it('refuses a non-UTF-8 Buffer body', () => {
    expect(() => signWebhook(SECRET, ID, TS, Buffer.from([0x7b, 0xff, 0x7d]))).toThrow(RangeError);
  });
});

describe('verifyWebhook', () => {
  it('accepts the vector of the reference library and returns its id and timestamp', () => {
    expect(verifyWebhook(SECRET, HEADERS, BODY, AT_TS)).toEqual({ id: ID, timestampSeconds: TS });
    expect(verifyWebhook(SECRET, HEADERS, Buffer.from(BODY), AT_TS)).toEqual({ id: ID, timestampSeconds: TS });
  });

  it('matches header names case-insensitively', () => {
    const headers = { 'Webhook-Id': ID, 'WEBHOOK-TIMESTAMP': String(TS), 'webhook-Signature': SIGNATURE };
    expect(verifyWebhook(SECRET, headers, BODY, AT_TS).id).toBe(ID);
  });

  it('accepts any matching v1 entry of a space-separated list and ignores other versions', () => {
    const list = `v1a,${'A'.repeat(86)} v1,bm90IHRoaXMgb25l ${SIGNATURE}`;
    expect(verifyWebhook(SECRET, { ...HEADERS, 'webhook-signature': list }, BODY, AT_TS).id).toBe(ID);
  });

  it('accepts either secret during a rotation', () => {
    const other = generateWebhookSecret();
    expect(verifyWebhook([other, SECRET], HEADERS, BODY, AT_TS).id).toBe(ID);
    expect(() => verifyWebhook([other], HEADERS, BODY, AT_TS)).toThrow(SignatureVerificationError);
  });

  it('accepts timestamps up to 300 s either side of now and rejects 301 s', () => {
    expect(verifyWebhook(SECRET, HEADERS, BODY, { nowSeconds: TS + 300 }).id).toBe(ID);
    expect(verifyWebhook(SECRET, HEADERS, BODY, { nowSeconds: TS - 300 }).id).toBe(ID);
    expect(failure(() => verifyWebhook(SECRET, HEADERS, BODY, { nowSeconds: TS + 301 })).reason).toBe('timestamp_out_of_tolerance');
    expect(failure(() => verifyWebhook(SECRET, HEADERS, BODY, { nowSeconds: TS - 301 })).reason).toBe('timestamp_out_of_tolerance');
  });

  it('honours a custom tolerance', () => {
    expect(failure(() => verifyWebhook(SECRET, HEADERS, BODY, { nowSeconds: TS + 11, toleranceSeconds: 10 })).reason).toBe(
      'timestamp_out_of_tolerance',
    );
  });

  it('uses the system clock by default', () => {
    expect(failure(() => verifyWebhook(SECRET, HEADERS, BODY)).reason).toBe('timestamp_out_of_tolerance');
    const now = Math.floor(Date.now() / 1000);
    const fresh = signWebhook(SECRET, ID, now, BODY);
    expect(verifyWebhook(SECRET, fresh, BODY).timestampSeconds).toBe(now);
  });

  it('reports a bad signature before a stale timestamp', () => {
    const forged = { ...HEADERS, 'webhook-signature': 'v1,AAAA' };
    expect(failure(() => verifyWebhook(SECRET, forged, BODY, { nowSeconds: TS + 10_000 })).reason).toBe('bad_signature');
  });

  it.each([
    ['a changed body', HEADERS, '{"test": 2432232315}'],
    ['a body with extra whitespace', HEADERS, `${BODY} `],
    ['a changed id', { ...HEADERS, 'webhook-id': 'msg_other' }, BODY],
    ['a changed timestamp', { ...HEADERS, 'webhook-timestamp': String(TS + 1) }, BODY],
    ['a signature without version', { ...HEADERS, 'webhook-signature': SIGNATURE.slice(3) }, BODY],
    ['a v2 signature', { ...HEADERS, 'webhook-signature': SIGNATURE.replace('v1,', 'v2,') }, BODY],
    ['a truncated signature', { ...HEADERS, 'webhook-signature': SIGNATURE.slice(0, -2) }, BODY],
    ['a signature comma-separated from another', { ...HEADERS, 'webhook-signature': `v1,AAAA,${SIGNATURE}` }, BODY],
  ])('rejects %s as bad_signature', (_, headers, body) => {
    expect(failure(() => verifyWebhook(SECRET, headers, body, AT_TS)).reason).toBe('bad_signature');
  });

  it('rejects a different secret as bad_signature', () => {
    expect(failure(() => verifyWebhook(generateWebhookSecret(), HEADERS, BODY, AT_TS)).reason).toBe('bad_signature');
  });

  it.each(['webhook-id', 'webhook-timestamp', 'webhook-signature'] as const)('rejects a missing or empty %s', (name) => {
    const without: Record<string, string> = { ...HEADERS };
    delete without[name];
    expect(failure(() => verifyWebhook(SECRET, without, BODY, AT_TS)).reason).toBe('missing_header');
    expect(failure(() => verifyWebhook(SECRET, { ...HEADERS, [name]: '' }, BODY, AT_TS)).reason).toBe('missing_header');
  });

  it.each([
    ['a repeated header', { ...HEADERS, 'webhook-signature': [SIGNATURE, SIGNATURE] }],
    ['a timestamp in milliseconds with a fraction', { ...HEADERS, 'webhook-timestamp': '1614265330.0' }],
    ['a timestamp with trailing text', { ...HEADERS, 'webhook-timestamp': '1614265330abc' }],
    ['a negative timestamp', { ...HEADERS, 'webhook-timestamp': '-1614265330' }],
  ])('rejects %s as malformed_header', (_, headers) => {
    expect(failure(() => verifyWebhook(SECRET, headers, BODY, AT_TS)).reason).toBe('malformed_header');
  });

  it('rejects a body that is not UTF-8 as malformed_body', () => {
    const bytes = Buffer.from([0x7b, 0xff, 0x7d]);
    expect(failure(() => verifyWebhook(SECRET, HEADERS, bytes, AT_TS)).reason).toBe('malformed_body');
  });

  it('never puts the secret, the expected signature or the body in the message', () => {
    const error = failure(() => verifyWebhook(SECRET, { ...HEADERS, 'webhook-signature': 'v1,AAAA' }, BODY, AT_TS));
    for (const leak of [SECRET, SECRET.slice(6), SIGNATURE.slice(3), BODY]) expect(error.message).not.toContain(leak);
  });
});

describe('webhook secrets', () => {
  it('generates whsec_ + base64 of 32 random bytes', () => {
    const secrets = Array.from({ length: 50 }, generateWebhookSecret);
    for (const secret of secrets) {
      expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
      expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(32);
    }
    expect(new Set(secrets).size).toBe(secrets.length);
  });

  it.each([
    ['no whsec_ prefix', 'MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'],
    ['an empty key', 'whsec_'],
    ['characters outside base64', 'whsec_MfKQ9r8G-KYqrTwjUPD8ILPZIo2LaLaS'],
    ['bad padding', 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS'],
  ])('refuses a secret with %s, without echoing it', (_, secret) => {
    for (const run of [() => signWebhook(secret, ID, TS, BODY), () => verifyWebhook(secret, HEADERS, BODY, AT_TS)]) {
      expect(run).toThrow(SecurityConfigError);
      expect(run).toThrow(expect.objectContaining({ problem: 'invalid_secret' }));
      try {
        run();
      } catch (error) {
        if (secret.length > 6) expect((error as Error).message).not.toContain(secret.slice(6));
      }
    }
  });

  it('refuses an empty list of secrets', () => {
    expect(() => signWebhook([], ID, TS, BODY)).toThrow(SecurityConfigError);
    expect(() => verifyWebhook([], HEADERS, BODY, AT_TS)).toThrow(SecurityConfigError);
  });
});

describe('interoperability with the standardwebhooks reference library', () => {
  afterEach(() => jest.useRealTimers());

  it('the library accepts what signWebhook produces (its clock faked to the vector time)', () => {
    jest.useFakeTimers({ now: TS * 1000 });
    const secret = generateWebhookSecret();
    const body = JSON.stringify({ type: 'message.delivered', data: { id: 'msg_1', text: 'Olá 😀 €' } });
    const headers = signWebhook(secret, 'msg_interop', TS, body);
    expect(new Webhook(secret).verify(body, { ...headers })).toEqual(JSON.parse(body));
  });

  it('verifyWebhook accepts what the library signs', () => {
    const secret = generateWebhookSecret();
    const body = '{"hello":"wörld"}';
    const signature = new Webhook(secret).sign('msg_lib', new Date(TS * 1000), body);
    const headers = { 'webhook-id': 'msg_lib', 'webhook-timestamp': String(TS), 'webhook-signature': signature };
    expect(verifyWebhook(secret, headers, body, AT_TS)).toEqual({ id: 'msg_lib', timestampSeconds: TS });
  });
});
