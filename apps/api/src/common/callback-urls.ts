import { isIP } from 'node:net';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type ApiConfig } from '@gw/config';
import { DomainError } from '@gw/errors';
import { OutboundAddressPolicy } from '@gw/security';

/**
 * Checks a callback URL a request stores (`status_callback`, `default_callback_url`) against the
 * address policy the workers apply when they deliver (public addresses, plus OUTBOUND_ALLOWED_CIDRS),
 * so that a URL on a private, loopback or link-local IP address is a 400 naming the field rather
 * than callbacks dropped later. Host names are not resolved here: their addresses can change, and
 * the workers check the address of every connection they open.
 */
@Injectable()
export class CallbackUrlPolicy {
  private readonly addresses: OutboundAddressPolicy;

  constructor(@Inject(APP_CONFIG) config: Pick<ApiConfig, 'OUTBOUND_ALLOWED_CIDRS'>) {
    this.addresses = new OutboundAddressPolicy(config.OUTBOUND_ALLOWED_CIDRS);
  }

  /**
   * @param field the request field, named in the error (`status_callback`).
   * @param url an absolute http(s) URL the DTO already validated; absent is fine.
   * @throws DomainError validation_failed naming `field` when the URL's host is an IP address the
   *   workers would refuse to connect to.
   */
  assertDeliverable(field: string, url: string | null | undefined): void {
    if (!url) return;
    // WHATWG URL parsing writes every IPv4 form (0x7f.1, 2130706433) as dotted decimal and IPv6 in brackets.
    const host = new URL(url).hostname.replace(/^\[(.*)\]$/, '$1');
    if (isIP(host) === 0) return;
    const range = this.addresses.refusal(host);
    if (range !== null) throw DomainError.invalid(field, `must be on a public address: ${host} is ${range}`);
  }
}
