import { IpAllowlist, SecurityConfigError } from '@gw/security';

describe('IpAllowlist', () => {
  const defaults = new IpAllowlist(['127.0.0.1/32', '::1/128']);

  it.each([
    ['IPv4 loopback', '127.0.0.1', true],
    ['IPv6 loopback', '::1', true],
    ['IPv4-mapped loopback from a dual-stack socket', '::ffff:127.0.0.1', true],
    ['another loopback address outside /32', '127.0.0.2', false],
    ['a private address', '10.0.0.1', false],
    ['an IPv4-mapped other address', '::ffff:10.0.0.1', false],
    ['the unspecified address', '0.0.0.0', false],
    ['short-form IPv4', '127.1', false],
    ['IPv4 as one number', '2130706433', false],
    ['a host name', 'localhost', false],
    ['an empty string', '', false],
    ['no address', undefined, false],
  ])('with the default list, %s (%s) -> %s', (_, ip, expected) => {
    expect(defaults.allows(ip)).toBe(expected);
  });

  it('matches CIDR ranges at their edges', () => {
    const list = new IpAllowlist(['10.20.0.0/16', '2001:db8::/32']);
    expect(list.allows('10.20.0.0')).toBe(true);
    expect(list.allows('10.20.255.255')).toBe(true);
    expect(list.allows('10.21.0.0')).toBe(false);
    expect(list.allows('10.19.255.255')).toBe(false);
    expect(list.allows('2001:db8::1')).toBe(true);
    expect(list.allows('2001:db8:ffff:ffff:ffff:ffff:ffff:ffff')).toBe(true);
    expect(list.allows('2001:db9::')).toBe(false);
    expect(list.allows('::ffff:10.20.3.4')).toBe(true);
  });

  it('never matches IPv4 against an IPv6 range or the other way round', () => {
    expect(new IpAllowlist(['::/0']).allows('1.2.3.4')).toBe(false);
    expect(new IpAllowlist(['0.0.0.0/0']).allows('2001:db8::1')).toBe(false);
    expect(new IpAllowlist(['0.0.0.0/0']).allows('8.8.8.8')).toBe(true);
  });

  it('takes bare addresses as single hosts and trims spaces', () => {
    const list = new IpAllowlist([' 192.0.2.7 ', 'fe80::1']);
    expect(list.allows('192.0.2.7')).toBe(true);
    expect(list.allows('192.0.2.8')).toBe(false);
    expect(list.allows('fe80::1')).toBe(true);
    expect(list.allows('fe80::1%eth0')).toBe(true);
    expect(list.allows('fe80::2')).toBe(false);
  });

  it('reads an IPv4-mapped CIDR entry as the IPv4 range it covers', () => {
    const list = new IpAllowlist(['::ffff:192.168.0.0/112']);
    expect(list.allows('192.168.44.1')).toBe(true);
    expect(list.allows('::ffff:192.168.44.1')).toBe(true);
    expect(list.allows('192.169.0.1')).toBe(false);
  });

  it('allows nobody when the list is empty', () => {
    const empty = new IpAllowlist([]);
    expect(['127.0.0.1', '::1', '10.0.0.1', '::ffff:127.0.0.1'].some((ip) => empty.allows(ip))).toBe(false);
  });

  it.each([
    ['a prefix too long for IPv4', '10.0.0.0/33', 2],
    ['a prefix too long for IPv6', '::1/129', 2],
    ['a negative prefix', '10.0.0.0/-1', 2],
    ['an empty prefix', '10.0.0.0/', 2],
    ['a netmask instead of a prefix', '10.0.0.0/255.0.0.0', 2],
    ['a bad octet', '10.0.0.256/8', 2],
    ['short-form IPv4', '10.1/8', 2],
    ['a host name', 'localhost', 2],
    ['an empty entry', '', 2],
    ['a zone id', 'fe80::1%eth0/128', 2],
  ])('throws at construction for %s, naming the entry', (_, bad, position) => {
    const build = (): IpAllowlist => new IpAllowlist(['127.0.0.1/32', bad]);
    expect(build).toThrow(SecurityConfigError);
    expect(build).toThrow(expect.objectContaining({ problem: 'invalid_cidr' }));
    expect(build).toThrow(`entry ${position} `);
    expect(build).toThrow(`"${bad}"`);
  });
});
