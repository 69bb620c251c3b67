/** Endpoint classes, each limited on its own: a project sending fast does not slow its reads down. */
export const RATE_LIMIT_CLASSES = [
  'messages:send',
  'messages:read',
  'calls:write',
  'calls:read',
  'flows',
  'usage:read',
  'numbers',
  'opt-outs',
] as const;

/** One of RATE_LIMIT_CLASSES. */
export type RateLimitClass = (typeof RATE_LIMIT_CLASSES)[number];

/**
 * The class of an authenticated route, by HTTP method and Fastify route pattern (`/v1/messages/:id`):
 * - `messages:send` POST /v1/messages; `messages:read` any other /v1/messages route;
 * - `calls:write` POST /v1/calls and POST /v1/calls/:callId/hangup; `calls:read` the other /v1/calls routes;
 * - `flows` every /v1/flows route; `usage:read` /v1/usage;
 * - `numbers` every /v1/numbers route; `opt-outs` every /v1/opt-outs route.
 * null for anything else (health, docs, admin, the public flow schema and call state machine),
 * which is never limited.
 */
export function rateLimitClassOf(method: string, route: string | undefined): RateLimitClass | null {
  const path = route ?? '';
  const under = (prefix: string) => path === prefix || path.startsWith(`${prefix}/`);
  if (path === '/v1/flows/schema' || path === '/v1/calls/state-machine') return null;
  if (under('/v1/messages')) return method === 'POST' ? 'messages:send' : 'messages:read';
  if (under('/v1/calls')) return method === 'POST' ? 'calls:write' : 'calls:read';
  if (under('/v1/flows')) return 'flows';
  if (under('/v1/usage')) return 'usage:read';
  if (under('/v1/numbers')) return 'numbers';
  if (under('/v1/opt-outs')) return 'opt-outs';
  return null;
}
