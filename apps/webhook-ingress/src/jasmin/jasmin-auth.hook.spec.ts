import Fastify, { FastifyInstance } from 'fastify';
import { IpAllowlist, signToken } from '@gw/security';
import { JASMIN_DLR_PATH, JASMIN_MO_PATH, jasminAuthHook, verifyJasminCallback } from './jasmin-auth.hook';

const secret = 's'.repeat(40);
const opts = { allowlist: new IpAllowlist(['127.0.0.1/32']), dlrSecret: secret, moToken: 'mo-token-0123456789' };

function verify(path: string, query: Record<string, unknown>, ip = '127.0.0.1'): string | null {
  return verifyJasminCallback(path, ip, query, opts);
}

describe('verifyJasminCallback', () => {
  it('passes a DLR whose token is the HMAC of its message id', () => {
    expect(verify(JASMIN_DLR_PATH, { msg: 'msg_1', token: signToken(secret, 'msg_1') })).toBeNull();
  });

  it('rejects a DLR with a token for another message, a forged token, or none', () => {
    expect(verify(JASMIN_DLR_PATH, { msg: 'msg_2', token: signToken(secret, 'msg_1') })).toBe('bad token');
    expect(verify(JASMIN_DLR_PATH, { msg: 'msg_1', token: signToken('x'.repeat(40), 'msg_1') })).toBe('bad token');
    expect(verify(JASMIN_DLR_PATH, { msg: 'msg_1' })).toBe('bad token');
  });

  it('rejects repeated query parameters instead of picking one', () => {
    const token = signToken(secret, 'msg_1');
    expect(verify(JASMIN_DLR_PATH, { msg: ['msg_1', 'msg_2'], token })).toBe('bad token');
  });

  it('checks the MO token', () => {
    expect(verify(JASMIN_MO_PATH, { token: 'mo-token-0123456789' })).toBeNull();
    expect(verify(JASMIN_MO_PATH, { token: 'mo-token-0123456788' })).toBe('bad token');
    expect(verify(JASMIN_MO_PATH, {})).toBe('bad token');
  });

  it('rejects addresses outside the allowlist before looking at tokens', () => {
    expect(verify(JASMIN_DLR_PATH, { msg: 'msg_1', token: signToken(secret, 'msg_1') }, '10.1.2.3')).toBe('address not allowed');
  });

  it('denies callback paths it does not know', () => {
    expect(verify('/webhooks/jasmin/other', { token: 'mo-token-0123456789' })).toBe('unknown callback');
  });
});

describe('jasminAuthHook on a Fastify server', () => {
  let app: FastifyInstance;
  const parsed: string[] = [];

  beforeAll(async () => {
    app = Fastify();
    app.addHook('onRequest', jasminAuthHook(opts));
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
      parsed.push(body as string);
      done(null, {});
    });
    app.post(JASMIN_DLR_PATH, async () => 'ACK/Jasmin');
    app.get('/health/live', async () => ({ status: 'ok' }));
    await app.ready();
  });

  afterAll(() => app.close());

  beforeEach(() => (parsed.length = 0));

  const dlr = (query: string, remoteAddress = '127.0.0.1') =>
    app.inject({
      method: 'POST',
      url: `${JASMIN_DLR_PATH}?${query}`,
      remoteAddress,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'id=1&message_status=DELIVRD&level=2',
    });

  it('lets a verified DLR through to its body parser and handler', async () => {
    const res = await dlr(`msg=msg_1&token=${signToken(secret, 'msg_1')}`);
    expect([res.statusCode, res.body]).toEqual([200, 'ACK/Jasmin']);
    expect(parsed).toHaveLength(1);
  });

  it('answers 403 with the reason and never reads the body of a refused callback', async () => {
    const forged = await dlr(`msg=msg_1&token=${signToken('x'.repeat(40), 'msg_1')}`);
    expect([forged.statusCode, forged.headers['content-type'], forged.body]).toEqual([403, 'text/plain', 'Forbidden: bad token']);
    const outsider = await dlr(`msg=msg_1&token=${signToken(secret, 'msg_1')}`, '10.1.2.3');
    expect([outsider.statusCode, outsider.body]).toEqual([403, 'Forbidden: address not allowed']);
    expect(parsed).toHaveLength(0);
  });

  it('leaves routes outside /webhooks/jasmin/ alone', async () => {
    const res = await app.inject({ method: 'GET', url: '/health/live', remoteAddress: '10.1.2.3' });
    expect(res.statusCode).toBe(200);
  });
});
