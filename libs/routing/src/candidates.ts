/** What orderCandidates needs of a route (SmsRouteEntity has it). */
export interface RouteCandidate {
  /** Breaks a full tie; routes without one keep their input order then. */
  id?: string;
  /** null: a global route, for every project. */
  projectId: string | null;
  /** E.164 digits without `+`; '' matches every destination. */
  prefix: string;
  /** Cost per segment; null: unknown. */
  price: number | null;
  /** Ordered failover list of connector ids. */
  connectorIds: readonly string[];
  enabled: boolean;
  createdAt: Date;
}

/**
 * Ranks routes as the way to try them, most specific first: longest prefix first; at equal
 * length the project's own route before a global one; then least cost per segment (unknown price
 * last); then the older route; then by id, so that rows read from the registry rank the same
 * whatever order they came in.
 */
function compareRoutes(projectId: string) {
  return (a: RouteCandidate, b: RouteCandidate): number => {
    if (a.prefix.length !== b.prefix.length) return b.prefix.length - a.prefix.length;
    const aOwn = a.projectId === projectId;
    const bOwn = b.projectId === projectId;
    if (aOwn !== bOwn) return aOwn ? -1 : 1;
    if (a.price !== b.price) {
      if (a.price === null) return 1;
      if (b.price === null) return -1;
      return a.price - b.price;
    }
    const age = a.createdAt.getTime() - b.createdAt.getTime();
    if (age !== 0) return age;
    const aId = a.id ?? '';
    const bId = b.id ?? '';
    return aId < bId ? -1 : aId > bId ? 1 : 0;
  };
}

/**
 * The connector ids to try for an MT of `projectId`, in order: the routes' failover lists
 * concatenated in route order (see compareRoutes), each connector kept at its first place only.
 * Disabled routes and routes of another project are left out. `routes` are those whose prefix
 * matches the destination (RouteRepository.matching); whether each connector is enabled, and its
 * circuit breaker, are the caller's to check.
 */
export function orderCandidates(routes: readonly RouteCandidate[], projectId: string): string[] {
  const ranked = routes.filter((r) => r.enabled && (r.projectId === null || r.projectId === projectId)).sort(compareRoutes(projectId));
  const seen = new Set<string>();
  const out: string[] = [];
  for (const route of ranked) {
    for (const id of route.connectorIds) {
      if (!seen.has(id)) {
        seen.add(id);
        out.push(id);
      }
    }
  }
  return out;
}
