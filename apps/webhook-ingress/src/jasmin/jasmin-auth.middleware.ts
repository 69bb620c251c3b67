import type { NextFunction, Request, Response } from 'express';
import { timingSafeEqual } from 'node:crypto';
import { IpAllowlist, verifyToken } from '@gw/security';

/** What Jasmin sees when verification fails; it retries, which is harmless for a forged call. */
function deny(res: Response, reason: string): void {
  res.status(403).type('text/plain').send(`Forbidden: ${reason}`);
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Verifies a Jasmin callback before its body is parsed: the peer address must be in the CIDR
 * allowlist, and the query must carry the right token — for DLRs `msg` + `token`, the HMAC of the
 * message id under DLR_TOKEN_SECRET (Jasmin cannot sign callbacks, so the dlr-url carries it);
 * for MOs `token` = MO_TOKEN. The socket address is used, never X-Forwarded-For.
 */
export function jasminAuthMiddleware(opts: { allowlist: IpAllowlist; dlrSecret: string; moToken: string }) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const ip = req.socket.remoteAddress ?? '';
    if (!opts.allowlist.allows(ip)) return deny(res, 'address not allowed');
    const token = typeof req.query.token === 'string' ? req.query.token : '';
    // Nest mounts route middleware below the route, so `req.path` alone may be '/': use the full path.
    const path = (req.originalUrl ?? req.url).split('?')[0];
    if (path.endsWith('/dlr')) {
      const msg = typeof req.query.msg === 'string' ? req.query.msg : '';
      if (!msg || !token || !verifyToken(opts.dlrSecret, msg, token)) return deny(res, 'bad token');
    } else if (path.endsWith('/mo')) {
      if (!token || !sameSecret(token, opts.moToken)) return deny(res, 'bad token');
    } else {
      return deny(res, 'unknown callback');
    }
    next();
  };
}
