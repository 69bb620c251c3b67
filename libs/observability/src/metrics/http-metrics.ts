import type { NextFunction, Request, Response } from 'express';
import type { FastifyInstance } from 'fastify';
import { Counter, Histogram } from 'prom-client';
import { METRICS } from './registry';

/** `route` label of a request no route matched (404s of unknown paths), so raw URLs never become labels. */
export const UNMATCHED_ROUTE = 'unmatched';

const requests = new Counter({
  name: 'gw_http_requests_total',
  help: 'HTTP requests answered, per route template',
  labelNames: ['method', 'route', 'status_code'] as const,
  registers: [METRICS],
});
const duration = new Histogram({
  name: 'gw_http_request_duration_seconds',
  help: 'Time from receiving an HTTP request to finishing its answer (s), per route template',
  labelNames: ['method', 'route', 'status_code'] as const,
  buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [METRICS],
});

/**
 * Counts one answered request. `route` is the framework's route template (`/v1/messages/:messageId`),
 * undefined when no route matched; `seconds` is the time to the end of the answer.
 */
export function recordHttpRequest(method: string, route: string | undefined, statusCode: number, seconds: number): void {
  const labels = { method, route: route ?? UNMATCHED_ROUTE, status_code: String(statusCode) };
  requests.inc(labels);
  duration.observe(labels, seconds);
}

/**
 * Records every request of a Fastify instance in an `onResponse` hook: the route template is
 * `request.routeOptions.url` (undefined for the not-found handler), the duration Fastify's
 * `reply.elapsedTime` (ms). Requests refused in `onRequest` hooks are counted too.
 */
export function fastifyHttpMetrics(fastify: FastifyInstance): void {
  fastify.addHook('onResponse', (req, reply, done) => {
    recordHttpRequest(req.method, req.routeOptions.url, reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
}

/**
 * Express middleware recording every request when its answer is finished: the route template is
 * `req.baseUrl + req.route.path` (Express sets `req.route` at each route that matches, the last
 * one wins), the duration is measured from this middleware, which must be mounted before the
 * routes. A catch-all path (`*` in it: Nest mounts middleware such as pino-http on `{/*splat}`)
 * names no route, so a request only such a route matched is `unmatched`.
 */
export function expressHttpMetrics(): (req: Request, res: Response, next: NextFunction) => void {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const route = (req as { route?: { path?: unknown } }).route?.path;
      const template = typeof route === 'string' && !route.includes('*') ? `${req.baseUrl}${route}` : undefined;
      recordHttpRequest(req.method, template, res.statusCode, Number(process.hrtime.bigint() - started) / 1e9);
    });
    next();
  };
}
