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
    expect(strict.refusal(ip, 443)).toBe(range);
  });

  it.each([
    ['public IPv4', '93.184.215.14'],
    ['public IPv4 next to a private range', '172.32.0.1'],
    ['public IPv6', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'],
    ['IPv4-mapped public address', '::ffff:8.8.8.8'],
    ['NAT64 of a public address', '64:ff9b::808:808'],
  ])('accepts %s (%s)', (_what, ip) => {
    expect(strict.refusal(ip, 443)).toBeNull();
  });

  it("accepts the operator's exceptions, whatever their range, and nothing next to them", () => {
    const policy = new OutboundAddressPolicy(['127.0.0.1/32', '10.20.0.0/16', 'fd00:1::/64']);
    expect(policy.refusal('127.0.0.1', 80)).toBeNull();
    expect(policy.refusal('::ffff:127.0.0.1', 80)).toBeNull();
    expect(policy.refusal('10.20.3.4', 80)).toBeNull();
    expect(policy.refusal('64:ff9b::a14:304', 80)).toBeNull();
    expect(policy.refusal('fd00:1::5', 80)).toBeNull();
    expect(policy.refusal('127.0.0.2', 80)).toBe('loopback');
    expect(policy.refusal('10.21.0.1', 80)).toBe('private');
    expect(policy.refusal('fd00:2::5', 80)).toBe('uniqueLocal');
  });

  it('accepts public addresses on every port', () => {
    expect(strict.refusal('93.184.215.14', 22)).toBeNull();
    expect(strict.refusal('93.184.215.14', 65535)).toBeNull();
  });

  describe('exceptions with ports', () => {
    const policy = new OutboundAddressPolicy([
      '127.0.0.1/32:58200-58399',
      '10.0.0.0/8',
      '[::1]/128:8080',
      '192.168.1.10:443',
      '[fd00::1]:9000',
    ]);

    it.each([
      ['the first port of a range', '127.0.0.1', 58200],
      ['the last port of a range', '127.0.0.1', 58399],
      ['the IPv4-mapped form on a port of the range', '::ffff:127.0.0.1', 58300],
      ['any port of an entry without ports', '10.9.8.7', 22],
      ['the one port of a bracketed IPv6 entry', '::1', 8080],
      ['the one port of a bare IPv4 address', '192.168.1.10', 443],
      ['the one port of a bracketed bare IPv6 address', 'fd00::1', 9000],
    ])('accepts %s (%s port %i)', (_what, ip, port) => {
      expect(policy.refusal(ip, port)).toBeNull();
    });

    it.each([
      ['below the range', '127.0.0.1', 58199, 'loopback'],
      ['above the range', '127.0.0.1', 58400, 'loopback'],
      ['the discard port', '127.0.0.1', 9, 'loopback'],
      ['another port of IPv6 loopback', '::1', 8081, 'loopback'],
      ['another port of a bare IPv4 address', '192.168.1.10', 80, 'private'],
      ['a port of the range on another address', '127.0.0.2', 58200, 'loopback'],
    ])('refuses %s (%s port %i) as %s', (_what, ip, port, range) => {
      expect(policy.refusal(ip, port)).toBe(range);
    });
  });

  it('rejects a malformed exception at construction, naming it', () => {
    expect(() => new OutboundAddressPolicy(['10.0.0.0/8', 'intranet'])).toThrow(SecurityConfigError);
    expect(() => new OutboundAddressPolicy(['10.0.0.0/8', 'intranet'])).toThrow(/entry 2 .*"intranet"/);
  });

  it.each([
    ['port 0', '127.0.0.1/32:0'],
    ['a port above 65535', '127.0.0.1/32:65536'],
    ['a reversed range', '127.0.0.1/32:58399-58200'],
    ['a range without its end', '127.0.0.1/32:58200-'],
    ['an empty port', '127.0.0.1/32:'],
    ['a port that is not a number', '127.0.0.1/32:http'],
    ['an IPv6 entry with a port but no brackets (ambiguous)', '::1/128:8080'],
    ['an IPv4 address in brackets', '[127.0.0.1]/32:80'],
    ['a bad prefix length', '[::1]/129:80'],
  ])('rejects an exception with %s (%s)', (_what, entry) => {
    expect(() => new OutboundAddressPolicy([entry])).toThrow(/entry 1 .*:port or :first-last/);
  });
});
