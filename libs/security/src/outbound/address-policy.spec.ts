import { OutboundAddressPolicy, SecurityConfigError } from '@gw/security';

describe('OutboundAddressPolicy', () => {
  const strict = new OutboundAddressPolicy();

  it.each([
    ['IPv4 loopback', '127.0.0.1', 'loopback'],
    ['another loopback address', '127.0.0.2', 'loopback'],
    ['RFC 1918 10/8', '10.0.0.5', 'private'],
    ['RFC 1918 172.16/12', '172.31.255.255', 'private'],
    ['RFC 1918 192.168/16', '192.168.1.1', 'private'],
    ['the cloud metadata address', '169.254.169.254', 'linkLocal'],
    ['carrier-grade NAT (Alibaba metadata 100.100.100.200)', '100.100.100.200', 'carrierGradeNat'],
    ['the unspecified address (reaches the local host)', '0.0.0.0', 'unspecified'],
    ['broadcast', '255.255.255.255', 'broadcast'],
    ['multicast', '224.0.0.1', 'multicast'],
    ['documentation range', '192.0.2.10', 'reserved'],
    ['IPv6 loopback', '::1', 'loopback'],
    ['IPv6 unspecified', '::', 'unspecified'],
    ['IPv6 unique-local (AWS metadata fd00:ec2::254)', 'fd00:ec2::254', 'uniqueLocal'],
    ['IPv6 link-local', 'fe80::1', 'linkLocal'],
    ['IPv6 link-local with a zone id', 'fe80::1%eth0', 'linkLocal'],
    ['IPv4-mapped loopback', '::ffff:127.0.0.1', 'loopback'],
    ['IPv4-mapped metadata address', '::ffff:169.254.169.254', 'linkLocal'],
    ['NAT64 of a private address', '64:ff9b::a00:1', 'private'],
    ['6to4', '2002:c000:0204::1', '6to4'],
    ['Teredo', '2001:0:4136:e378:8000:63bf:3fff:fdd2', 'teredo'],
    ['a host name', 'localhost', 'not_an_address'],
    ['short-form IPv4 (not what dns.lookup returns)', '127.1', 'not_an_address'],
  ])('refuses %s (%s) as %s', (_what, ip, range) => {
    expect(strict.refusal(ip)).toBe(range);
  });

  it.each([
    ['public IPv4', '93.184.215.14'],
    ['public IPv4 next to a private range', '172.32.0.1'],
    ['public IPv6', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'],
    ['IPv4-mapped public address', '::ffff:8.8.8.8'],
    ['NAT64 of a public address', '64:ff9b::808:808'],
  ])('accepts %s (%s)', (_what, ip) => {
    expect(strict.refusal(ip)).toBeNull();
  });

  it("accepts the operator's exceptions, whatever their range, and nothing next to them", () => {
    const policy = new OutboundAddressPolicy(['127.0.0.1/32', '10.20.0.0/16', 'fd00:1::/64']);
    expect(policy.refusal('127.0.0.1')).toBeNull();
    expect(policy.refusal('::ffff:127.0.0.1')).toBeNull();
    expect(policy.refusal('10.20.3.4')).toBeNull();
    expect(policy.refusal('64:ff9b::a14:304')).toBeNull();
    expect(policy.refusal('fd00:1::5')).toBeNull();
    expect(policy.refusal('127.0.0.2')).toBe('loopback');
    expect(policy.refusal('10.21.0.1')).toBe('private');
    expect(policy.refusal('fd00:2::5')).toBe('uniqueLocal');
  });

  it('rejects a malformed exception at construction, naming it', () => {
    expect(() => new OutboundAddressPolicy(['10.0.0.0/8', 'intranet'])).toThrow(SecurityConfigError);
    expect(() => new OutboundAddressPolicy(['10.0.0.0/8', 'intranet'])).toThrow(/entry 2 .*"intranet"/);
  });
});
