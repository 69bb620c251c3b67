import type { DialAllowlist } from '@gw/database';
import { isE164 } from '@gw/sms-text';

/** The host of a SIP URI target as the flow DSL writes them (`sip:[user@]host[:port]`, RFC 3261 section 19.1), lower case. */
function sipHost(target: string): string {
  const rest = target.replace(/^sips?:/, '');
  const hostPort = rest.slice(rest.lastIndexOf('@') + 1);
  return hostPort.replace(/:\d+$/, '').toLowerCase();
}

/**
 * Whether a project may dial `target` (a flow `dial` target: E.164 number, SIP URI or `PJSIP/`
 * endpoint; flow DSL `dialTarget` format).
 *
 * - No allowlist set (`null`, every project's default): any E.164 number is allowed; SIP URIs and
 *   PJSIP endpoints are refused (they can reach hosts and endpoints of the operator's network).
 * - An allowlist set: E.164 numbers must start with one of `e164_prefixes`, SIP URIs have a host of
 *   `sip_domains` (exact, case-insensitive: subdomains are not included), PJSIP endpoints are one of
 *   `pjsip_endpoints` (exact).
 *
 * @returns null when allowed; else why not, for an error message or the call's timeline.
 */
export function dialTargetRefusal(allowlist: DialAllowlist | null, target: string): string | null {
  if (isE164(target)) {
    if (allowlist === null || allowlist.e164_prefixes.some((prefix) => target.startsWith(prefix))) return null;
    return `${target} matches no E.164 prefix of the project's dial allowlist`;
  }
  if (/^sips?:/.test(target)) {
    const host = sipHost(target);
    if (allowlist === null) return `SIP URIs are refused until the operator sets the project's dial allowlist (its sip_domains)`;
    return allowlist.sip_domains.includes(host) ? null : `SIP domain ${host} is not in the project's dial allowlist`;
  }
  if (target.startsWith('PJSIP/')) {
    const endpoint = target.slice('PJSIP/'.length);
    if (allowlist === null) return `PJSIP endpoints are refused until the operator sets the project's dial allowlist (its pjsip_endpoints)`;
    return allowlist.pjsip_endpoints.includes(endpoint) ? null : `PJSIP endpoint ${endpoint} is not in the project's dial allowlist`;
  }
  return `${target} is not a dial target (E.164 number, SIP URI or PJSIP endpoint)`;
}
