import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { IpAllowlist } from '../ip-allowlist';

/** NAT64 well-known prefix `64:ff9b::/96` (RFC 6052 section 2.1): the last 32 bits are the IPv4 address reached. */
const NAT64 = ipaddr.parseCIDR('64:ff9b::/96');

/**
 * Which addresses the gateway may open connections to on behalf of a project (callbacks, flow
 * `redirect` / `actionHook` fetches): public unicast addresses only, so that a project cannot make
 * the gateway reach its own network (server-side request forgery).
 *
 * - Refused: every IANA special-purpose range as ipaddr.js 2.x names them (`range()` other than
 *   `unicast`; RFC 6890 registries): loopback, private (RFC 1918), link-local (169.254/16, where
 *   cloud metadata services answer), carrier-grade NAT (100.64/10), unspecified, broadcast,
 *   multicast, reserved and documentation ranges; IPv6 unique-local (fc00::/7), link-local, 6to4,
 *   Teredo and the rest.
 * - IPv4-mapped (`::ffff:10.0.0.1`) and NAT64 (`64:ff9b::10.0.0.1`) addresses are judged by the
 *   IPv4 address they carry.
 * - `allowedCidrs` are exceptions the operator makes (e.g. the cluster network where internal
 *   receivers run, or loopback on the local stack); they win over the refusals. Same entry syntax as
 *   {@link IpAllowlist}.
 */
export class OutboundAddressPolicy {
  private readonly allowed: IpAllowlist;

  /**
   * @param allowedCidrs operator exceptions, e.g. `['10.20.0.0/16']`; empty by default.
   * @throws SecurityConfigError `invalid_cidr`, naming the first bad entry.
   */
  constructor(allowedCidrs: readonly string[] = []) {
    this.allowed = new IpAllowlist(allowedCidrs);
  }

  /**
   * @param ip an IPv4 or IPv6 address in the textual form `dns.lookup` returns (no brackets, no zone).
   * @returns null when the gateway may connect to it; otherwise the name of the range that refuses it
   *   (`loopback`, `private`, `linkLocal`, ... as ipaddr.js names them, or `not_an_address`).
   */
  refusal(ip: string): string | null {
    if (isIP(ip) === 0) return 'not_an_address';
    if (this.allowed.allows(ip)) return null;
    let address = ipaddr.process(ip);
    if (address.kind() === 'ipv6' && address.match(NAT64)) {
      const bytes = address.toByteArray().slice(12);
      address = ipaddr.fromByteArray(bytes);
      if (this.allowed.allows(address.toString())) return null;
    }
    const range = address.range();
    return range === 'unicast' ? null : range;
  }
}
