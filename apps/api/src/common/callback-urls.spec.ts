import type { LookupAddress } from 'node:dns';
import { DomainError } from '@gw/errors';
import type { HostResolver } from '@gw/security';
import { ACCEPT_LOOKUP_TIMEOUT_MS, CallbackUrlPolicy, RESOLVED_HOST_TTL_MS } from './callback-urls';

/** A resolver answering from `table` as dns.lookup with `all: true` would (ENOTFOUND for other names), counting its lookups. */
function fakeDns(table: Record<string, string[]>): HostResolver & { lookups: string[] } {
  const lookups: string[] = [];
  const resolve = async (hostname: string): Promise<LookupAddress[]> => {
    lookups.push(hostname);
    const addresses = table[hostname];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return Object.assign(resolve, { lookups });
}

const DNS = {
  localhost: ['127.0.0.1'],
  'hooks.example.com': ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'],
  'rebind.example.com': ['93.184.215.14', '10.0.0.5'],
  'metadata.example.com': ['169.254.169.254'],
  'internal.example.com': ['10.1.2.3'],
};

async function refusal(policy: CallbackUrlPolicy, url: string | undefined): Promise<DomainError | undefined> {
  try {
    await policy.assertDeliverable('status_callback', url);
    return undefined;
  } catch (err) {
    return err as DomainError;
  }
}

const messageOf = async (policy: CallbackUrlPolicy, url: string) => (await refusal(policy, url))?.fields?.[0]?.message;

describe('CallbackUrlPolicy', () => {
  const strict = new CallbackUrlPolicy({ OUTBOUND_ALLOWED_CIDRS: [] }, fakeDns(DNS));

  it.each([
    ['the cloud metadata address', 'http://169.254.169.254/latest/meta-data/', '169.254.169.254 is linkLocal'],
    ['a private address', 'https://10.1.2.3:8443/hooks', '10.1.2.3 is private'],
    ['loopback as one number', 'http://2130706433/cb', '127.0.0.1 is loopback'],
    ['loopback in hex parts', 'http://0x7f.1/cb', '127.0.0.1 is loopback'],
    ['IPv6 loopback', 'http://[::1]:8080/cb', '::1 is loopback'],
    ['an IPv4-mapped private address', 'http://[::ffff:192.168.0.1]/cb', '::ffff:c0a8:1 is private'],
    ['the unspecified address', 'http://0.0.0.0:80/cb', '0.0.0.0 is unspecified'],
    ['a name resolving to loopback', 'http://localhost:8080/cb', 'localhost resolves to 127.0.0.1, which is loopback'],
    [
      'a name resolving to the metadata address',
      'http://metadata.example.com/',
      'metadata.example.com resolves to 169.254.169.254, which is linkLocal',
    ],
    [
      'a name with one private address among public ones',
      'https://rebind.example.com/cb',
      'rebind.example.com resolves to 10.0.0.5, which is private',
    ],
  ])('refuses %s with a 400 naming the field', async (_what, url, why) => {
    const err = await refusal(strict, url);
    expect(err).toBeInstanceOf(DomainError);
    expect(err).toMatchObject({
      code: 'validation_failed',
      fields: [{ field: 'status_callback', message: `must be on a public address: ${why}` }],
    });
  });

  it('refuses a name that does not resolve, since it could never be delivered', async () => {
    const err = await refusal(strict, 'https://nowhere.example.com/cb');
    expect(err).toMatchObject({
      code: 'validation_failed',
      fields: [{ field: 'status_callback', message: 'does not resolve: nowhere.example.com (ENOTFOUND)' }],
    });
  });

  it(`refuses a name whose lookup gives no answer within ${ACCEPT_LOOKUP_TIMEOUT_MS} ms`, async () => {
    jest.useFakeTimers();
    try {
      const silent = new CallbackUrlPolicy({ OUTBOUND_ALLOWED_CIDRS: [] }, () => new Promise<LookupAddress[]>(() => undefined));
      const answer = messageOf(silent, 'https://slow.example.com/cb');
      await jest.advanceTimersByTimeAsync(ACCEPT_LOOKUP_TIMEOUT_MS - 1);
      let settled = false;
      void answer.then(() => (settled = true));
      await Promise.resolve();
      expect(settled).toBe(false);
      await jest.advanceTimersByTimeAsync(1);
      await expect(answer).resolves.toBe('does not resolve: slow.example.com (no answer within 2 s)');
    } finally {
      jest.useRealTimers();
    }
  });

  it.each([
    ['a public address', 'https://93.184.215.14/cb'],
    ['a name resolving to public addresses only', 'https://hooks.example.com/cb'],
  ])('passes %s', async (_what, url) => {
    expect(await refusal(strict, url)).toBeUndefined();
  });

  it('refuses what is not a URL at all with a 400 rather than throwing', async () => {
    const resolve = fakeDns(DNS);
    const policy = new CallbackUrlPolicy({ OUTBOUND_ALLOWED_CIDRS: [] }, resolve);
    const err = await refusal(policy, 'https://\u00a8\udb63\uded34\u00c8');
    expect(err).toBeInstanceOf(DomainError);
    expect(err?.fields).toEqual([{ field: 'status_callback', message: 'must be an absolute http(s) URL' }]);
    expect(resolve.lookups).toEqual([]);
  });

  it('resolves nothing when there is no URL', async () => {
    const resolve = fakeDns(DNS);
    const policy = new CallbackUrlPolicy({ OUTBOUND_ALLOWED_CIDRS: [] }, resolve);
    expect(await refusal(policy, undefined)).toBeUndefined();
    expect(await refusal(policy, '')).toBeUndefined();
    expect(resolve.lookups).toEqual([]);
  });

  describe("the operator's exceptions (OUTBOUND_ALLOWED_CIDRS), on their ports", () => {
    const local = new CallbackUrlPolicy({ OUTBOUND_ALLOWED_CIDRS: ['127.0.0.1/32:58200-58399', '10.0.0.0/8:443'] }, fakeDns(DNS));

    it.each([
      ['an address of an exception on a port of its range', 'http://127.0.0.1:58200/callbacks'],
      ['a name resolving to it, on a port of the range', 'http://localhost:58399/callbacks'],
      ["a name on the scheme's default port (https: 443)", 'https://internal.example.com/hooks'],
    ])('passes %s', async (_what, url) => {
      expect(await refusal(local, url)).toBeUndefined();
    });

    it.each([
      ['the same address on a port outside the range', 'http://127.0.0.1:9/', '127.0.0.1 is loopback'],
      ['another loopback address on a port of the range', 'http://127.0.0.2:58200/callbacks', '127.0.0.2 is loopback'],
      [
        'a name resolving to the exception, on another port',
        'http://localhost:58400/x',
        'localhost resolves to 127.0.0.1, which is loopback',
      ],
      [
        "a name on the scheme's default port (http: 80)",
        'http://internal.example.com/hooks',
        'internal.example.com resolves to 10.1.2.3, which is private',
      ],
    ])('refuses %s', async (_what, url, why) => {
      expect(await messageOf(local, url)).toBe(`must be on a public address: ${why}`);
    });
  });

  it('resolves a name once for the checks that follow within the TTL, but asks again after a failure', async () => {
    const resolve = fakeDns(DNS);
    const policy = new CallbackUrlPolicy({ OUTBOUND_ALLOWED_CIDRS: [] }, resolve);
    await Promise.all([refusal(policy, 'https://hooks.example.com/a'), refusal(policy, 'https://hooks.example.com/b')]);
    expect(await refusal(policy, 'https://hooks.example.com/c')).toBeUndefined();
    expect(await messageOf(policy, 'https://nowhere.example.com/a')).toMatch(/^does not resolve/);
    expect(await messageOf(policy, 'https://nowhere.example.com/b')).toMatch(/^does not resolve/);
    expect(resolve.lookups).toEqual(['hooks.example.com', 'nowhere.example.com', 'nowhere.example.com']);
  });

  it('resolves a name again once the TTL has passed', async () => {
    jest.useFakeTimers();
    try {
      const resolve = fakeDns(DNS);
      const policy = new CallbackUrlPolicy({ OUTBOUND_ALLOWED_CIDRS: [] }, resolve);
      await refusal(policy, 'https://hooks.example.com/a');
      jest.advanceTimersByTime(RESOLVED_HOST_TTL_MS - 1);
      await refusal(policy, 'https://hooks.example.com/b');
      expect(resolve.lookups).toHaveLength(1);
      jest.advanceTimersByTime(1);
      await refusal(policy, 'https://hooks.example.com/c');
      expect(resolve.lookups).toHaveLength(2);
    } finally {
      jest.useRealTimers();
    }
  });
});
