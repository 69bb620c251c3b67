/** Scopes a JWT may carry, one per kind of access (an API key has them all until keys carry scopes). */
export const SCOPES = [
  'messages:send',
  'messages:read',
  'calls:write',
  'calls:read',
  'flows:write',
  'flows:read',
  'usage:read',
  'numbers:read',
  'numbers:write',
  'opt-outs:read',
  'opt-outs:write',
] as const;

/** One of SCOPES. */
export type Scope = (typeof SCOPES)[number];

/**
 * The scope an authenticated route needs, by HTTP method and Fastify route pattern: writes (POST,
 * PUT, PATCH, DELETE) to /v1/messages need `messages:send`, to /v1/calls `calls:write`, to
 * /v1/flows `flows:write`, to /v1/numbers `numbers:write`, to /v1/opt-outs `opt-outs:write`;
 * reads need `<resource>:read`. null for routes outside /v1 resources.
 */
export function requiredScope(method: string, route: string | undefined): Scope | null {
  const resource = /^\/v1\/(messages|calls|flows|usage|numbers|opt-outs)(\/|$)/.exec(route ?? '')?.[1];
  if (!resource) return null;
  const read = method === 'GET' || method === 'HEAD';
  if (resource === 'usage') return 'usage:read';
  if (resource === 'messages') return read ? 'messages:read' : 'messages:send';
  return `${resource}:${read ? 'read' : 'write'}` as Scope;
}
