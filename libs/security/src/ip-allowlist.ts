import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { SecurityConfigError } from './errors';

type Range = [ipaddr.IPv4 | ipaddr.IPv6, number];

/**
 * Source-address allowlist for callbacks that cannot be signed (Jasmin's DLR and MO
 * callbacks carry no signature: Jasmin HTTP API docs, "Receiving DLR" and "Receiving SMS-MO"),
 * checked next to the per-message token.
 *
 * - Entries are CIDRs (`10.0.0.0/8`, `::1/128`) or bare addresses (taken as /32 or
 *   /128). IPv4 must be dotted four-part decimal; surrounding spaces are ignored.
 * - IPv4-mapped IPv6 addresses (`::ffff:127.0.0.1`, as a dual-stack socket reports
 *   IPv4 peers) are matched as the IPv4 address they carry, and an IPv4-mapped CIDR
 *   entry (`::ffff:10.0.0.0/104`) as the IPv4 range it covers.
 * - An empty list allows nobody: a missing setting must not open the endpoint. The
 *   configuration default is `127.0.0.1/32,::1/128`.
 */
export class IpAllowlist {
  private readonly ranges: readonly Range[];

  /**
   * @param cidrs the allowed ranges, e.g. `['127.0.0.1/32', '::1/128']`.
   * @throws SecurityConfigError `invalid_cidr`, naming the first bad entry and its position.
   */
  constructor(cidrs: readonly string[]) {
    this.ranges = cidrs.map((entry, index) => parseEntry(entry, index));
  }

  /**
   * @param ip the peer address as Node reports it (`req.socket.remoteAddress`, or
   *   `req.ip` when a trusted proxy sets it); IPv6 zone ids are ignored.
   * @returns true when it falls in one of the ranges; false for a missing or invalid address.
   */
  allows(ip: string | undefined): boolean {
    if (ip === undefined || isIP(ip) === 0) return false;
    const address = ipaddr.process(ip);
    return this.ranges.some(([network, bits]) => address.kind() === network.kind() && address.match(network, bits));
  }
}

function parseEntry(raw: string, index: number): Range {
  const entry = raw.trim();
  const slash = entry.indexOf('/');
  const host = slash < 0 ? entry : entry.slice(0, slash);
  const bitsText = slash < 0 ? null : entry.slice(slash + 1);
  const family = isIP(host);
  const maxBits = family === 4 ? 32 : 128;
  const bits = bitsText === null ? maxBits : /^\d{1,3}$/.test(bitsText) ? Number(bitsText) : NaN;

  if (family === 0 || host.includes('%') || !(bits >= 0 && bits <= maxBits)) {
    throw new SecurityConfigError('invalid_cidr', `IP allowlist entry ${index + 1} is not a CIDR or address: "${raw}"`);
  }
  const network = ipaddr.parse(host);
  if (network.kind() === 'ipv6' && (network as ipaddr.IPv6).isIPv4MappedAddress() && bits >= 96) {
    return [(network as ipaddr.IPv6).toIPv4Address(), bits - 96];
  }
  return [network, bits];
}
