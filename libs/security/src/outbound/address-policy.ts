import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { SecurityConfigError } from '../errors';
import { IpAllowlist } from '../ip-allowlist';

/** NAT64 well-known prefix `64:ff9b::/96` (RFC 6052 section 2.1): the last 32 bits are the IPv4 address reached. */
const NAT64 = ipaddr.parseCIDR('64:ff9b::/96');

/** TCP ports `first`..`last`, both included. */
interface PortRange {
  first: number;
  last: number;
}

/** One operator exception: a network, and the ports it opens (null: every port). */
interface Exception {
  network: IpAllowlist;
  ports: PortRange | null;
}

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
 *   receivers run, or the loopback ports of the local stack's test receivers); they win over the
 *   refusals. An entry is a CIDR or a bare address ({@link IpAllowlist} syntax), optionally followed by
 *   `:port` or `:first-last` (TCP ports, both included), an IPv6 one then in brackets:
 *   `10.0.0.0/8` (every port), `127.0.0.1/32:58200-58399`, `[::1]/128:8080`. Public addresses are
 *   reachable on every port.
 */
export class OutboundAddressPolicy {
  private readonly exceptions: readonly Exception[];

  /**
   * @param allowedCidrs operator exceptions, e.g. `['10.20.0.0/16', '127.0.0.1/32:58200-58399']`; empty by default.
   * @throws SecurityConfigError `invalid_cidr`, naming the first bad entry and its position.
   */
  constructor(allowedCidrs: readonly string[] = []) {
    this.exceptions = allowedCidrs.map((entry, index) => parseException(entry, index));
  }

  /**
   * @param ip an IPv4 or IPv6 address in the textual form `dns.lookup` returns (no brackets, no zone).
   * @param port the TCP port connected to (1..65535).
   * @returns null when the gateway may connect to it; otherwise the name of the range that refuses it
   *   (`loopback`, `private`, `linkLocal`, ... as ipaddr.js names them, or `not_an_address`).
   */
  refusal(ip: string, port: number): string | null {
    if (isIP(ip) === 0) return 'not_an_address';
    if (this.isException(ip, port)) return null;
    let address = ipaddr.process(ip);
    if (address.kind() === 'ipv6' && address.match(NAT64)) {
      const bytes = address.toByteArray().slice(12);
      address = ipaddr.fromByteArray(bytes);
      if (this.isException(address.toString(), port)) return null;
    }
    const range = address.range();
    return range === 'unicast' ? null : range;
  }

  private isException(ip: string, port: number): boolean {
    return this.exceptions.some((e) => e.network.allows(ip) && (e.ports === null || (port >= e.ports.first && port <= e.ports.last)));
  }
}

/** `[v6]/bits:ports`, `[v6]:ports`, `v4/bits:ports`; anything else is a CIDR without ports. */
const BRACKETED = /^\[([^\]]*)\](\/[^:]*)?(?::([^:]*))?$/;
const IPV4_WITH_PORTS = /^([^:[\]]+):([^:]*)$/;

function parseException(raw: string, index: number): Exception {
  const entry = raw.trim();
  const bracketed = BRACKETED.exec(entry);
  const withPorts = bracketed ? null : IPV4_WITH_PORTS.exec(entry);
  const cidr = bracketed ? `${bracketed[1]}${bracketed[2] ?? ''}` : withPorts ? withPorts[1] : entry;
  const portsText = bracketed ? bracketed[3] : withPorts?.[2];
  const ports = portsText === undefined ? null : parsePorts(portsText);
  let network: IpAllowlist | null = null;
  try {
    network = new IpAllowlist([cidr]);
  } catch (err) {
    if (!(err instanceof SecurityConfigError)) throw err;
  }
  if (network === null || ports === undefined || (bracketed && isIP(bracketed[1]) !== 6)) {
    throw new SecurityConfigError(
      'invalid_cidr',
      `outbound allowlist entry ${index + 1} is not a CIDR with an optional :port or :first-last port range: "${raw}"`,
    );
  }
  return { network, ports };
}

/** `8080` or `58200-58399` (1..65535, first <= last); undefined when malformed. */
function parsePorts(text: string): PortRange | undefined {
  const m = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(text);
  if (!m) return undefined;
  const first = Number(m[1]);
  const last = m[2] === undefined ? first : Number(m[2]);
  return first >= 1 && last <= 65535 && first <= last ? { first, last } : undefined;
}
