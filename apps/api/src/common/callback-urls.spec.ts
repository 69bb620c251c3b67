import { DomainError } from '@gw/errors';
import { CallbackUrlPolicy } from './callback-urls';

describe('CallbackUrlPolicy', () => {
  const strict = new CallbackUrlPolicy({ OUTBOUND_ALLOWED_CIDRS: [] });
  const refusal = (policy: CallbackUrlPolicy, url: string): DomainError | undefined => {
    try {
      policy.assertDeliverable('status_callback', url);
      return undefined;
    } catch (err) {
      return err as DomainError;
    }
  };

  it.each([
    ['the cloud metadata address', 'http://169.254.169.254/latest/meta-data/', '169.254.169.254 is linkLocal'],
    ['a private address', 'https://10.1.2.3:8443/hooks', '10.1.2.3 is private'],
    ['loopback as one number', 'http://2130706433/cb', '127.0.0.1 is loopback'],
    ['loopback in hex parts', 'http://0x7f.1/cb', '127.0.0.1 is loopback'],
    ['IPv6 loopback', 'http://[::1]:8080/cb', '::1 is loopback'],
    ['an IPv4-mapped private address', 'http://[::ffff:192.168.0.1]/cb', '::ffff:c0a8:1 is private'],
    ['the unspecified address', 'http://0.0.0.0:80/cb', '0.0.0.0 is unspecified'],
  ])('refuses %s with a 400 naming the field', (_what, url, why) => {
    const err = refusal(strict, url);
    expect(err).toBeInstanceOf(DomainError);
    expect(err).toMatchObject({
      code: 'validation_failed',
      fields: [{ field: 'status_callback', message: `must be on a public address: ${why}` }],
    });
  });

  it.each([
    ['a public address', 'https://93.184.215.14/cb'],
    ['a host name (checked when the workers connect)', 'http://localhost:8080/cb'],
    ['no URL', ''],
  ])('passes %s', (_what, url) => {
    expect(refusal(strict, url)).toBeUndefined();
  });

  it("passes the operator's exceptions (OUTBOUND_ALLOWED_CIDRS)", () => {
    const local = new CallbackUrlPolicy({ OUTBOUND_ALLOWED_CIDRS: ['127.0.0.1/32'] });
    expect(refusal(local, 'http://127.0.0.1:58090/callbacks')).toBeUndefined();
    expect(refusal(local, 'http://127.0.0.2:58090/callbacks')?.fields).toEqual([
      { field: 'status_callback', message: 'must be on a public address: 127.0.0.2 is loopback' },
    ]);
  });
});
