import type { FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import { carrierKind, verifyDlrToken } from '@gw/connectors';
import { constantTimeEqual, IpAllowlist } from '@gw/security';

/** The carrier callback routes of CarrierWebhooksController; `:kind` is a registered carrier kind. */
export const CARRIER_DLR_ROUTE = '/webhooks/:kind/dlr';
export const CARRIER_MO_ROUTE = '/webhooks/:kind/mo';

/** What verifyCarrierCallback checks against: the peer allowlist, DLR_TOKEN_SECRET and MO_TOKEN. */
export interface CarrierAuthOptions {
  allowlist: IpAllowlist;
  dlrSecret: string;
  moToken: string;
}

function queryValue(query: Record<string, unknown>, name: string): string {
  const value = query[name];
  return typeof value === 'string' ? value : '';
}

/**
 * Decides whether a carrier callback may be processed, from its route, kind, peer address and
 * query alone (HTTP carriers cannot sign their callbacks): the kind must be a carrier with
 * webhooks, the address must be in the CIDR allowlist, and the query must carry the right token.
 * For DLRs that is `msg` + `conn` + `token` (see dlrCallbackUrl); for MOs `token` = MO_TOKEN.
 * Returns null when allowed, else the reason to deny.
 */
export function verifyCarrierCallback(
  route: string,
  kind: string,
  peer: string,
  query: Record<string, unknown>,
  opts: CarrierAuthOptions,
): string | null {
  if (!carrierKind(kind)?.webhook) return 'unknown carrier';
  if (!opts.allowlist.allows(peer)) return 'address not allowed';
  const token = queryValue(query, 'token');
  if (route === CARRIER_DLR_ROUTE) {
    const msg = queryValue(query, 'msg');
    const conn = queryValue(query, 'conn');
    return msg && conn && token && verifyDlrToken(opts.dlrSecret, msg, conn, token) ? null : 'bad token';
  }
  if (route === CARRIER_MO_ROUTE) return token && constantTimeEqual(token, opts.moToken) ? null : 'bad token';
  return 'unknown callback';
}

/**
 * Fastify `onRequest` hook: runs verifyCarrierCallback on every request routed to a carrier
 * callback, before its body is read, and answers 403 `Forbidden: <reason>` (text/plain) when it
 * fails; the carrier retries, which is harmless for a forged call. The socket address is used,
 * never X-Forwarded-For. Other routes (health) pass untouched.
 */
export function carrierAuthHook(opts: CarrierAuthOptions): onRequestHookHandler {
  return (req: FastifyRequest, reply: FastifyReply, done: () => void): void => {
    const route = req.routeOptions.url;
    if (route !== CARRIER_DLR_ROUTE && route !== CARRIER_MO_ROUTE) return done();
    const kind = (req.params as { kind?: string }).kind ?? '';
    const denied = verifyCarrierCallback(route, kind, req.socket.remoteAddress ?? '', req.query as Record<string, unknown>, opts);
    if (denied === null) return done();
    void reply.code(403).type('text/plain').send(`Forbidden: ${denied}`);
  };
}
