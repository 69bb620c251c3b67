import type { Request, Response } from 'express';
import { IpAllowlist, signToken } from '@gw/security';
import { jasminAuthMiddleware } from './jasmin-auth.middleware';

const secret = 's'.repeat(40);
const mw = jasminAuthMiddleware({ allowlist: new IpAllowlist(['127.0.0.1/32']), dlrSecret: secret, moToken: 'mo-token-0123456789' });

function call(originalUrl: string, ip = '127.0.0.1'): { status: number | null; passed: boolean } {
  const url = new URL(originalUrl, 'http://x');
  const req = {
    socket: { remoteAddress: ip },
    originalUrl,
    url: '/',
    path: '/',
    query: Object.fromEntries(url.searchParams),
  } as unknown as Request;
  let status: number | null = null;
  const res = { status: (s: number) => ((status = s), res), type: () => res, send: () => res } as unknown as Response;
  let passed = false;
  mw(req, res, () => (passed = true));
  return { status, passed };
}

describe('jasminAuthMiddleware', () => {
  it('passes a DLR whose token is the HMAC of its message id', () => {
    expect(call(`/webhooks/jasmin/dlr?msg=msg_1&token=${signToken(secret, 'msg_1')}`)).toEqual({ status: null, passed: true });
  });

  it('rejects a DLR with a token for another message, a forged token, or none', () => {
    expect(call(`/webhooks/jasmin/dlr?msg=msg_2&token=${signToken(secret, 'msg_1')}`)).toEqual({ status: 403, passed: false });
    expect(call(`/webhooks/jasmin/dlr?msg=msg_1&token=${signToken('x'.repeat(40), 'msg_1')}`)).toEqual({ status: 403, passed: false });
    expect(call('/webhooks/jasmin/dlr?msg=msg_1')).toEqual({ status: 403, passed: false });
  });

  it('checks the MO token', () => {
    expect(call('/webhooks/jasmin/mo?token=mo-token-0123456789').passed).toBe(true);
    expect(call('/webhooks/jasmin/mo?token=mo-token-0123456788')).toEqual({ status: 403, passed: false });
  });

  it('rejects addresses outside the allowlist before looking at tokens', () => {
    expect(call(`/webhooks/jasmin/dlr?msg=msg_1&token=${signToken(secret, 'msg_1')}`, '10.1.2.3')).toEqual({ status: 403, passed: false });
  });

  it('denies paths it does not know', () => {
    expect(call('/webhooks/jasmin/other?token=mo-token-0123456789')).toEqual({ status: 403, passed: false });
  });
});
