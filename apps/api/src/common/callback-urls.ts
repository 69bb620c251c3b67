import { promises as dns, type LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { APP_CONFIG, type ApiConfig } from '@gw/config';
import { DomainError } from '@gw/errors';
import { type HostResolver, OutboundAddressPolicy } from '@gw/security';

/** Injection token of the host name resolver of {@link CallbackUrlPolicy} (`dns.promises.lookup` when none is provided). */
export const HOST_RESOLVER = Symbol('HOST_RESOLVER');

/** Longest wait for a host name's addresses when a URL is accepted, ms. */
export const ACCEPT_LOOKUP_TIMEOUT_MS = 2000;
/** How long a host name's addresses are reused for later URLs, ms (the workers check every connection anyway). */
export const RESOLVED_HOST_TTL_MS = 30_000;
/** Most host names kept resolved at once; past it the cache starts over. */
const MAX_RESOLVED_HOSTS = 1024;

/**
 * Checks a URL the gateway will call on a project's behalf (`status_callback`, `default_callback_url`,
 * `sms_callback_url`, a flow's `redirect` / `actionHook`) against the address policy the workers and
 * the orchestrator apply when they connect (public addresses, plus OUTBOUND_ALLOWED_CIDRS on their
 * ports), so that a URL they would refuse is a 400 naming the field rather than callbacks dropped
 * later:
 *
 * - an IP address host is judged as is, on the URL's port (its scheme's default when none);
 * - a host name is resolved (`dns.lookup`, every address, at most ACCEPT_LOOKUP_TIMEOUT_MS) and
 *   refused when any of its addresses is refused, or when it does not resolve (it could never be
 *   delivered). Names resolved in the last RESOLVED_HOST_TTL_MS are not resolved again.
 *
 * This is the accept-time check only: a name can be re-pointed later, so the connect-time check of
 * every connection (outboundDispatcher) stays the one that protects.
 */
@Injectable()
export class CallbackUrlPolicy {
  private readonly addresses: OutboundAddressPolicy;
  private readonly resolve: HostResolver;
  private readonly resolved = new Map<string, { addresses: Promise<LookupAddress[]>; until: number }>();

  constructor(
    @Inject(APP_CONFIG) config: Pick<ApiConfig, 'OUTBOUND_ALLOWED_CIDRS'>,
    @Optional() @Inject(HOST_RESOLVER) resolve?: HostResolver,
  ) {
    this.addresses = new OutboundAddressPolicy(config.OUTBOUND_ALLOWED_CIDRS);
    this.resolve = resolve ?? dns.lookup;
  }

  /**
   * @param field the request field, named in the error (`status_callback`).
   * @param url an absolute http(s) URL the DTO already validated; absent is fine (and resolves nothing).
   * @throws DomainError validation_failed naming `field` when the URL is not deliverable ({@link problem}).
   */
  async assertDeliverable(field: string, url: string | null | undefined): Promise<void> {
    if (!url) return;
    const problem = await this.problem(url);
    if (problem !== null) throw DomainError.invalid(field, problem);
  }

  /**
   * @param url an absolute http(s) URL.
   * @returns null when the gateway may call it; else why not, for the error message of its field
   *   (`must be on a public address: 10.0.0.5 is private`, `does not resolve: hooks.example (ENOTFOUND)`).
   */
  async problem(url: string): Promise<string | null> {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return 'must be an absolute http(s) URL';
    }
    // WHATWG URL parsing writes every IPv4 form (0x7f.1, 2130706433) as dotted decimal and IPv6 in brackets.
    const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
    const port = Number(parsed.port) || (parsed.protocol === 'https:' ? 443 : 80);
    if (isIP(host) !== 0) {
      const range = this.addresses.refusal(host, port);
      return range === null ? null : `must be on a public address: ${host} is ${range}`;
    }
    let addresses: LookupAddress[];
    try {
      addresses = await this.lookup(host);
    } catch (err) {
      return `does not resolve: ${host} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`;
    }
    if (addresses.length === 0) return `does not resolve: ${host} (no address)`;
    for (const { address } of addresses) {
      const range = this.addresses.refusal(address, port);
      if (range !== null) return `must be on a public address: ${host} resolves to ${address}, which is ${range}`;
    }
    return null;
  }

  /** Every address of `host`, shared by concurrent and recent checks of the same name. */
  private lookup(host: string): Promise<LookupAddress[]> {
    const now = Date.now();
    const hit = this.resolved.get(host);
    if (hit && hit.until > now) return hit.addresses;
    if (this.resolved.size >= MAX_RESOLVED_HOSTS) this.resolved.clear();
    const addresses = withTimeout(this.resolve(host, { all: true }), ACCEPT_LOOKUP_TIMEOUT_MS);
    this.resolved.set(host, { addresses, until: now + RESOLVED_HOST_TTL_MS });
    // A failure is not kept: the next URL with this name asks again.
    addresses.catch(() => {
      if (this.resolved.get(host)?.addresses === addresses) this.resolved.delete(host);
    });
    return addresses;
  }
}

/** `promise`, or a rejection (no `code`) after `ms` (dns.lookup itself cannot be given a timeout). */
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
