import { SecurityConfigError, signToken, verifyToken } from '@gw/security';

const SECRET = 'dlr-secret-0123456789abcdef0123456789';

describe('signToken', () => {
  it('is base64url HMAC-SHA256 of the subject (vector from openssl dgst -sha256 -hmac)', () => {
    expect(signToken(SECRET, 'msg_2kX9')).toBe('Xo_7yn2xBSMg-mFDEbgur0KwFV46UfYfdPu4a2aqLro');
  });

  it('is 43 URL-safe characters without padding', () => {
    for (let i = 0; i < 50; i++) expect(signToken(SECRET, `msg_${i}`)).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('differs per subject and per secret', () => {
    expect(signToken(SECRET, 'msg_1')).not.toBe(signToken(SECRET, 'msg_2'));
    expect(signToken(SECRET, 'msg_1')).not.toBe(signToken(`${SECRET}x`, 'msg_1'));
  });

  it('refuses an empty secret without echoing anything secret', () => {
    expect(() => signToken('', 'msg_1')).toThrow(SecurityConfigError);
    expect(() => signToken('', 'msg_1')).toThrow(expect.objectContaining({ problem: 'invalid_secret' }));
  });
});

describe('verifyToken', () => {
  const token = signToken(SECRET, 'msg_2kX9');

  it('accepts the token of the subject', () => {
    expect(verifyToken(SECRET, 'msg_2kX9', token)).toBe(true);
  });

  it.each([
    ['another subject', SECRET, 'msg_2kX8', token],
    ['another secret', `${SECRET}!`, 'msg_2kX9', token],
    ['a truncated token', SECRET, 'msg_2kX9', token.slice(0, -1)],
    ['an extended token', SECRET, 'msg_2kX9', `${token}A`],
    ['a padded token', SECRET, 'msg_2kX9', `${token}=`],
    ['standard base64 instead of base64url', SECRET, 'msg_2kX9', token.replace(/-/g, '+').replace(/_/g, '/')],
    ['one flipped character', SECRET, 'msg_2kX9', (token[0] === 'A' ? 'B' : 'A') + token.slice(1)],
    ['an empty token', SECRET, 'msg_2kX9', ''],
    ['no token', SECRET, 'msg_2kX9', undefined],
    ['a multibyte token of the same length', SECRET, 'msg_2kX9', 'é'.repeat(43)],
  ])('rejects %s', (_, secret, subject, candidate) => {
    expect(verifyToken(secret, subject, candidate)).toBe(false);
  });
});
