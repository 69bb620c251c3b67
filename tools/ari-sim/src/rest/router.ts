/**
 * Routes /ari requests to operations of the simulator's own api-docs and converts their
 * parameters by the declared dataType, as Asterisk's generated ARI stubs do: parameters come
 * from the query string, from an urlencoded form body, or from the fields of a JSON body;
 * `allowMultiple` parameters are comma separated (or repeated); body parameters (`variables`)
 * are the matching key of the JSON body.
 */
import type { SwaggerApi, SwaggerOperation, SwaggerParameter } from '../api-docs/swagger';
import { AriError } from '../sim/errors';

/** One routable operation. */
export interface Route {
  resource: string;
  path: string;
  op: SwaggerOperation;
  segments: string[];
}

/** Result of matching a method and path. */
export type RouteMatch = { route: Route; pathValues: Record<string, string> } | { status: 404 | 405 };

/** Converted parameters of one request, keyed by parameter name. */
export type Params = Record<string, unknown>;

/** Builds routes from api-docs keyed by resource name. */
export function buildRoutes(apisByResource: Record<string, SwaggerApi[]>): Route[] {
  const routes: Route[] = [];
  for (const [resource, apis] of Object.entries(apisByResource)) {
    for (const api of apis) {
      for (const op of api.operations) {
        if (op.upgrade) continue; // the events WebSocket is handled by the upgrade path
        routes.push({ resource, path: api.path, op, segments: api.path.split('/').filter(Boolean) });
      }
    }
  }
  return routes;
}

/**
 * Matches `rawPath` (relative to /ari, still percent-encoded) against the routes. A literal
 * segment beats a `{param}` one (POST /channels/create is create, not originateWithId); a
 * path that exists without the method is 405, as in Asterisk.
 */
export function matchRoute(routes: Route[], method: string, rawPath: string): RouteMatch {
  const parts = rawPath.split('/').filter(Boolean);
  let best: { path: string; score: number; values: Record<string, string> } | undefined;
  for (const r of routes) {
    if (r.segments.length !== parts.length) continue;
    const values: Record<string, string> = {};
    let score = 0;
    let ok = true;
    r.segments.forEach((seg, i) => {
      const part = parts[i] as string;
      if (seg.startsWith('{') && seg.endsWith('}')) {
        try {
          values[seg.slice(1, -1)] = decodeURIComponent(part);
        } catch {
          ok = false;
        }
        score = score * 2;
      } else if (seg === part) {
        score = score * 2 + 1;
      } else {
        ok = false;
      }
    });
    if (ok && (!best || score > best.score)) best = { path: r.path, score, values };
  }
  if (!best) return { status: 404 };
  const path = best.path;
  const route = routes.find((r) => r.path === path && r.op.httpMethod === method);
  return route ? { route, pathValues: best.values } : { status: 405 };
}

/**
 * Collects and converts an operation's parameters.
 * @param query the URL's query string parameters
 * @param body a parsed JSON object body, or urlencoded form fields, or undefined
 * @throws AriError 400 for a missing required parameter or a value of the wrong type.
 */
export function readParams(
  op: SwaggerOperation,
  pathValues: Record<string, string>,
  query: URLSearchParams,
  body: Record<string, unknown> | undefined,
): Params {
  const params: Params = {};
  for (const p of op.parameters) {
    const value = rawValue(p, pathValues, query, body);
    if (value === undefined || value === '') {
      if (p.required) throw new AriError(400, `Missing required parameter: ${p.name}`);
      if (p.defaultValue !== undefined) params[p.name] = p.defaultValue;
      continue;
    }
    params[p.name] = convert(p, value);
  }
  return params;
}

function rawValue(
  p: SwaggerParameter,
  pathValues: Record<string, string>,
  query: URLSearchParams,
  body: Record<string, unknown> | undefined,
): unknown {
  switch (p.paramType) {
    case 'path':
      return pathValues[p.name];
    case 'body':
      return body?.[p.name];
    default: {
      const fromQuery = query.getAll(p.name);
      if (fromQuery.length > 1) return fromQuery.join(',');
      if (fromQuery.length === 1) return fromQuery[0];
      return body?.[p.name];
    }
  }
}

function convert(p: SwaggerParameter, value: unknown): unknown {
  if (p.paramType === 'body') {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new AriError(400, `${p.name} must be a JSON object`);
    return value;
  }
  const text = Array.isArray(value) ? value.map(String).join(',') : String(value);
  switch (p.dataType) {
    case 'int':
    case 'long': {
      if (!/^-?\d+$/.test(text.trim())) throw new AriError(400, `Invalid value for ${p.name}: ${text}`);
      return Number(text.trim());
    }
    case 'double': {
      const n = Number(text);
      if (Number.isNaN(n)) throw new AriError(400, `Invalid value for ${p.name}: ${text}`);
      return n;
    }
    case 'boolean':
      // ast_true()
      return /^(yes|true|y|t|1|on)$/i.test(text.trim());
    default:
      return p.allowMultiple ? text.split(',').map((s) => s.trim()) : text;
  }
}
