import type { FastifyInstance } from 'fastify';
import { DomainError, ErrorCode } from '@gw/errors';

/** A Fastify route pattern (`/v1/calls/:callId`) as a RegExp over request paths: each `:param` is one segment. */
export function routePatternRegExp(url: string): RegExp {
  const source = url
    .split('/')
    .map((segment) => (segment.startsWith(':') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${source}$`);
}

/**
 * Answers a request whose path has routes, but none for its method, with 405
 * `method_not_allowed` and an `Allow` field listing the path's methods (RFC 9110 sections 15.5.6
 * and 10.2.1), instead of the 404 of a path that does not exist. Routes are collected as they are
 * registered, so this must be called on the Fastify instance before any route is added. A path
 * no route matches stays a 404.
 */
export function answerMethodNotAllowed(fastify: FastifyInstance): void {
  const routes = new Map<string, { path: RegExp; methods: Set<string> }>();
  fastify.addHook('onRoute', (route) => {
    const entry = routes.get(route.url) ?? { path: routePatternRegExp(route.url), methods: new Set<string>() };
    for (const method of [route.method].flat()) entry.methods.add(method.toUpperCase());
    routes.set(route.url, entry);
  });
  fastify.addHook('onRequest', (req, reply, done) => {
    // A request no route matched runs the not-found route, which has no URL pattern.
    if (req.routeOptions.url !== undefined) return done();
    const path = req.url.split('?')[0];
    const allowed = new Set<string>();
    for (const route of routes.values()) if (route.path.test(path)) route.methods.forEach((m) => allowed.add(m));
    if (allowed.size === 0 || allowed.has(req.method)) return done();
    const allow = [...allowed].sort().join(', ');
    reply.header('allow', allow);
    done(new DomainError(ErrorCode.MethodNotAllowed, `${req.method} is not allowed here; this path allows ${allow}`));
  });
}
