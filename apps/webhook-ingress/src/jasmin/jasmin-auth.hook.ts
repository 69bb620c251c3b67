import type { FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import { constantTimeEqual, IpAllowlist, verifyToken } from '@gw/security';

/** Where Jasmin posts its callbacks; the routes of JasminController. */
const JASMIN_CALLBACKS = '/webhooks/jasmin/';
export const JASMIN_DLR_PATH = `${JASMIN_CALLBACKS}dlr`;
export const JASMIN_MO_PATH = `${JASMIN_CALLBACKS}mo`;

/** What verifyJasminCallback checks against: the peer allowlist, DLR_TOKEN_SECRET and MO_TOKEN. */
export interface JasminAuthOptions {
  allowlist: IpAllowlist;
  dlrSecret: string;
  moToken: string;
}

function queryValue(query: Record<string, unknown>, name: string): string {
  const value = query[name];
  return typeof value === 'string' ? value : '';
}

/**
 * Decides whether a Jasmin callback may be processed, from its peer address and query alone: the
 * address must be in the CIDR allowlist, and the query must carry the right token. For DLRs
 * (`/webhooks/jasmin/dlr`) that is `msg` + `token`, the HMAC of the message id under
 * DLR_TOKEN_SECRET (Jasmin cannot sign callbacks, so the dlr-url carries it; Jasmin HTTP API docs,
 * "Receiving DLR"); for MOs
 * (`/webhooks/jasmin/mo`) `token` = MO_TOKEN. Returns null when allowed, else the reason to deny.
 */
export function verifyJasminCallback(path: string, peer: string, query: Record<string, unknown>, opts: JasminAuthOptions): string | null {
  if (!opts.allowlist.allows(peer)) return 'address not allowed';
  const token = queryValue(query, 'token');
  if (path === JASMIN_DLR_PATH) {
    const msg = queryValue(query, 'msg');
    return msg && token && verifyToken(opts.dlrSecret, msg, token) ? null : 'bad token';
  }
  if (path === JASMIN_MO_PATH) return token && constantTimeEqual(token, opts.moToken) ? null : 'bad token';
  return 'unknown callback';
}

/**
 * Fastify `onRequest` hook: runs verifyJasminCallback on every request routed under
 * `/webhooks/jasmin/`, before its body is read, and answers 403 `Forbidden: <reason>` (text/plain)
 * when it fails; Jasmin retries, which is harmless for a forged call. The socket address is used,
 * never X-Forwarded-For. Other routes (health) pass untouched.
 */
export function jasminAuthHook(opts: JasminAuthOptions): onRequestHookHandler {
  return (req: FastifyRequest, reply: FastifyReply, done: () => void): void => {
    const route = req.routeOptions.url;
    if (route === undefined || !route.startsWith(JASMIN_CALLBACKS)) return done();
    const denied = verifyJasminCallback(route, req.socket.remoteAddress ?? '', req.query as Record<string, unknown>, opts);
    if (denied === null) return done();
    void reply.code(403).type('text/plain').send(`Forbidden: ${denied}`);
  };
}
