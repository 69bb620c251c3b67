import Fastify, { FastifyInstance } from 'fastify';
import { dlrCallbackUrl } from '@gw/connectors';
import { IpAllowlist } from '@gw/security';
import { CARRIER_DLR_ROUTE, CARRIER_MO_ROUTE, carrierAuthHook, verifyCarrierCallback } from './carrier-auth.hook';

const secret = 's'.repeat(40);
const opts = { allowlist: new IpAllowlist(['127.0.0.1/32']), dlrSecret: secret, moToken: 'mo-token-0123456789' };

/** The query of the dlr-url the gateway gives a carrier for `msg` on `conn`, signed with `key`. */
function dlrQuery(msg: string, conn: string, key = secret): Record<string, string> {
  return Object.fromEntries(new URL(dlrCallbackUrl('http://gw.test', key, 'jasmin', msg, conn)).searchParams);
}

function verify(route: string, query: Record<string, unknown>, ip = '127.0.0.1', kind = 'jasmin'): string | null {
  return verifyCarrierCallback(route, kind, ip, query, opts);
}

describe('verifyCarrierCallback', () => {
  it('passes a DLR whose token signs its message and connector', () => {
    expect(verify(CARRIER_DLR_ROUTE, dlrQuery('msg_1', 'conn_a'))).toBeNull();
  });

  it('rejects a DLR whose token was made for another message or connector, a forged token, or none', () => {
    expect(verify(CARRIER_DLR_ROUTE, { ...dlrQuery('msg_1', 'conn_a'), msg: 'msg_2' })).toBe('bad token');
    expect(verify(CARRIER_DLR_ROUTE, { ...dlrQuery('msg_1', 'conn_a'), conn: 'conn_b' })).toBe('bad token');
    expect(verify(CARRIER_DLR_ROUTE, dlrQuery('msg_1', 'conn_a', 'x'.repeat(40)))).toBe('bad token');
    expect(verify(CARRIER_DLR_ROUTE, { msg: 'msg_1', conn: 'conn_a' })).toBe('bad token');
  });

  it('rejects repeated query parameters instead of picking one', () => {
    expect(verify(CARRIER_DLR_ROUTE, { ...dlrQuery('msg_1', 'conn_a'), msg: ['msg_1', 'msg_2'] })).toBe('bad token');
  });

  it('checks the MO token', () => {
    expect(verify(CARRIER_MO_ROUTE, { token: 'mo-token-0123456789' })).toBeNull();
    expect(verify(CARRIER_MO_ROUTE, { token: 'mo-token-0123456788' })).toBe('bad token');
    expect(verify(CARRIER_MO_ROUTE, {})).toBe('bad token');
  });

  it('rejects addresses outside the allowlist before looking at tokens', () => {
    expect(verify(CARRIER_DLR_ROUTE, dlrQuery('msg_1', 'conn_a'), '10.1.2.3')).toBe('address not allowed');
  });

  it('denies a kind that is not a carrier with webhooks', () => {
    expect(verify(CARRIER_MO_ROUTE, { token: 'mo-token-0123456789' }, '127.0.0.1', 'nosuch')).toBe('unknown carrier');
  });
});

describe('carrierAuthHook on a Fastify server', () => {
  let app: FastifyInstance;
  const parsed: string[] = [];

  beforeAll(async () => {
    app = Fastify();
    app.addHook('onRequest', carrierAuthHook(opts));
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
      parsed.push(body as string);
      done(null, {});
    });
    app.post(CARRIER_DLR_ROUTE, async () => 'ACK/Jasmin');
    app.get('/health/live', async () => ({ status: 'ok' }));
    await app.ready();
  });

  afterAll(() => app.close());

  beforeEach(() => (parsed.length = 0));

  const dlr = (query: string, remoteAddress = '127.0.0.1') =>
    app.inject({
      method: 'POST',
      url: `/webhooks/jasmin/dlr?${query}`,
      remoteAddress,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'id=1&message_status=DELIVRD&level=2',
    });

  it('lets a verified DLR through to its body parser and handler', async () => {
    const res = await dlr(new URLSearchParams(dlrQuery('msg_1', 'conn_a')).toString());
    expect([res.statusCode, res.body]).toEqual([200, 'ACK/Jasmin']);
    expect(parsed).toHaveLength(1);
  });

  it('answers 403 with the reason and never reads the body of a refused callback', async () => {
    const forged = await dlr(new URLSearchParams(dlrQuery('msg_1', 'conn_a', 'x'.repeat(40))).toString());
    expect([forged.statusCode, forged.headers['content-type'], forged.body]).toEqual([403, 'text/plain', 'Forbidden: bad token']);
    const outsider = await dlr(new URLSearchParams(dlrQuery('msg_1', 'conn_a')).toString(), '10.1.2.3');
    expect([outsider.statusCode, outsider.body]).toEqual([403, 'Forbidden: address not allowed']);
    expect(parsed).toHaveLength(0);
  });

  it('leaves routes other than carrier callbacks alone', async () => {
    const res = await app.inject({ method: 'GET', url: '/health/live', remoteAddress: '10.1.2.3' });
    expect(res.statusCode).toBe(200);
  });
});
