import { promises as dns, type LookupAddress, type LookupAllOptions } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { Agent, buildConnector } from 'undici';
import { OutboundAddressRefusedError } from '../errors';
import type { OutboundAddressPolicy } from './address-policy';

/** Resolves a host name to all its addresses (`dns.promises.lookup` with `all: true` in production). */
export type HostResolver = (hostname: string, options: LookupAllOptions) => Promise<LookupAddress[]>;

/** Settings of {@link outboundDispatcher}. */
export interface OutboundDispatcherOptions {
  /** Longest wait for the TCP (and TLS) connection, ms; default 10000 (undici's). */
  connectTimeoutMs?: number;
  /**
   * Largest response body accepted, bytes: past it the request fails with undici's
   * `ResponseExceededMaxSizeError` (`UND_ERR_RES_EXCEEDED_MAX_SIZE`). Default: no limit.
   */
  maxResponseBytes?: number;
  /** Host name resolution; `dns.promises.lookup` by default (tests resolve names to chosen addresses). */
  resolve?: HostResolver;
}

/**
 * The `lookup` of `net.connect` / `tls.connect` for outbound requests to `port`: resolves the host,
 * keeps the addresses `policy` accepts on that port and hands only those to the socket, so the address
 * checked is the address connected to (no second resolution a DNS rebinding answer could change).
 * Answers in the shape Node asks for (`options.all`: a list, as Happy Eyeballs does; else one address).
 * Fails with OutboundAddressRefusedError when none is accepted, and with the resolver's error.
 */
export function guardedLookup(policy: OutboundAddressPolicy, port: number, resolve: HostResolver = dns.lookup): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, { ...options, all: true }).then(
      (addresses) => {
        const accepted = addresses.filter((a) => policy.refusal(a.address, port) === null);
        if (accepted.length === 0) {
          const first = addresses[0];
          const range = first ? (policy.refusal(first.address, port) ?? 'unknown') : 'unresolved';
          callback(new OutboundAddressRefusedError(hostname, port, first?.address ?? '-', range), '');
        } else if (options.all) callback(null, accepted);
        else callback(null, accepted[0].address, accepted[0].family);
      },
      (err: NodeJS.ErrnoException) => callback(err, ''),
    );
  };
}

/**
 * An undici dispatcher for requests to URLs a project supplied (callbacks, flow fetches), to pass as
 * `dispatcher` to undici's `request`. Every connection goes only to an address `policy` accepts on
 * the URL's port (its scheme's default when it names none): a host given as an IP address is checked
 * before connecting, a host name through {@link guardedLookup} at connect time (also for each new
 * pooled connection). A refused address fails the request with OutboundAddressRefusedError, before
 * any byte is sent.
 *
 * Redirects are not followed (undici's `request` has no redirect handling unless a redirect
 * interceptor is composed in, and none is), so a 3xx cannot lead the request elsewhere. Whole-request
 * timeouts stay the caller's (`signal`). Close it (`close()`) when the app stops.
 */
export function outboundDispatcher(policy: OutboundAddressPolicy, opts: OutboundDispatcherOptions = {}): Agent {
  // Node's `lookup` hook is not told the port, and exceptions may be per port: one connector (with the
  // lookup of its port) per port connected to, kept for the dispatcher's life (a handful in practice).
  const connectors = new Map<number, buildConnector.connector>();
  const connectorTo = (port: number): buildConnector.connector => {
    let connector = connectors.get(port);
    if (!connector) {
      connector = buildConnector({ timeout: opts.connectTimeoutMs, lookup: guardedLookup(policy, port, opts.resolve) });
      connectors.set(port, connector);
    }
    return connector;
  };
  return new Agent({
    maxResponseSize: opts.maxResponseBytes,
    connect: (options, callback) => {
      // undici hands the URL's port, '' for the scheme's default.
      const port = Number(options.port) || (options.protocol === 'https:' ? 443 : 80);
      // undici hands IPv6 literals without brackets; net.connect skips `lookup` for any IP literal.
      if (isIP(options.hostname) !== 0) {
        const range = policy.refusal(options.hostname, port);
        if (range !== null) return callback(new OutboundAddressRefusedError(options.hostname, port, options.hostname, range), null);
      }
      connectorTo(port)(options, callback);
    },
  });
}
