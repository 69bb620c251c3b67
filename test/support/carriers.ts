import type { ApiMessage } from '@gw/stack-client';
import { E2e, env, eventually, TestProject } from './e2e';

/** A connector as `GET /admin/connectors/{id}` returns it, with each connector replica's breaker state. */
export interface ApiConnector {
  id: string;
  name: string;
  kind: string;
  breaker_half_open_ms: number;
  breaker_override: 'open' | 'closed' | null;
  breaker?: {
    override: 'open' | 'closed' | null;
    replicas: Array<{ replica: string; state: string; since: string; failures: number }> | null;
  };
}

/** A route as `/admin/routes` returns it. */
export interface ApiRoute {
  id: string;
  project_id: string | null;
  prefix: string;
  price: number | null;
  connector_ids: string[];
}

/** One attempt of an MT on a connector (`submissions` of `GET /v1/messages/{id}`). */
export interface ApiSubmission {
  attempt: number;
  connector_id: string;
  outcome: string;
  provider_message_id: string | null;
  error: string | null;
  created_at: string;
}

/** `GET /v1/messages/{id}` with what the api says of connectors: the attempts and each transition's connector. */
export type TracedMessage = Omit<ApiMessage, 'timeline'> & {
  submissions: ApiSubmission[];
  timeline: Array<NonNullable<ApiMessage['timeline']>[number] & { connector_id: string | null }>;
};

/** Statuses after which a message changes no more. */
export const FINAL = new Set(['delivered', 'undelivered', 'failed']);

/** How long the stack's connector processes get to apply a registry change announced on gw:connectors:changed (ms). */
const RELOAD_MS = 1000;

/**
 * The operator's side of the carrier platform for end-to-end tests: looks connectors up by name,
 * writes project routes and breaker overrides through the api, and undoes every change it made
 * (routes deleted, overrides back to auto, connector fields restored) in restore().
 */
export class CarrierAdmin {
  private readonly secret = env('OPERATOR_SECRET');
  private readonly routes: string[] = [];
  private readonly overrides = new Set<string>();
  private readonly patched = new Map<string, Record<string, unknown>>();

  constructor(private readonly t: E2e) {}

  /** The id of the connector named `name`, paging through `GET /admin/connectors`. @throws Error when there is none */
  async connectorId(name: string): Promise<string> {
    let cursor: string | null = null;
    do {
      const query: string = `/admin/connectors?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const res = await this.t.api.adminRaw<{ data: ApiConnector[]; next_cursor: string | null }>(this.secret, 'GET', query);
      if (res.status !== 200) throw new Error(`list connectors: ${res.status} ${JSON.stringify(res.body)}`);
      const found = res.body.data.find((c) => c.name === name);
      if (found) return found.id;
      cursor = res.body.next_cursor;
    } while (cursor);
    throw new Error(`no connector named ${name}: run scripts/seed-carriers.ts`);
  }

  /** `GET /admin/connectors/{id}`. */
  async connector(id: string): Promise<ApiConnector> {
    const res = await this.t.api.adminRaw<ApiConnector>(this.secret, 'GET', `/admin/connectors/${id}`);
    if (res.status !== 200) throw new Error(`read connector: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  /** Creates a route of project `p` (never a global one) and waits for the connector processes to load it. */
  async route(p: TestProject, prefix: string, connectorIds: string[], price: number | null = null): Promise<ApiRoute> {
    const res = await this.t.api.adminRaw<ApiRoute>(this.secret, 'POST', '/admin/routes', {
      project_id: p.id,
      prefix,
      price,
      connector_ids: connectorIds,
    });
    if (res.status !== 201) throw new Error(`create route: ${res.status} ${JSON.stringify(res.body)}`);
    this.routes.push(res.body.id);
    await settle();
    return res.body;
  }

  /** PATCHes connector fields, keeping their first value for restore(). */
  async patch(id: string, changes: Record<string, unknown>): Promise<ApiConnector> {
    const before = (await this.connector(id)) as unknown as Record<string, unknown>;
    const kept = this.patched.get(id) ?? {};
    for (const key of Object.keys(changes)) if (!(key in kept)) kept[key] = before[key];
    this.patched.set(id, kept);
    const res = await this.t.api.adminRaw<ApiConnector>(this.secret, 'PATCH', `/admin/connectors/${id}`, changes);
    if (res.status !== 200) throw new Error(`patch connector: ${res.status} ${JSON.stringify(res.body)}`);
    await settle();
    return res.body;
  }

  /**
   * Forces the breaker (`PUT /admin/connectors/{id}/breaker`) and waits until every connector
   * replica reports the state that follows (forced-open, forced-closed, or closed for auto).
   */
  async breaker(id: string, state: 'open' | 'closed' | 'auto'): Promise<ApiConnector> {
    const res = await this.t.api.adminRaw<ApiConnector>(this.secret, 'PUT', `/admin/connectors/${id}/breaker`, { state });
    if (res.status !== 200) throw new Error(`set breaker: ${res.status} ${JSON.stringify(res.body)}`);
    if (state === 'auto') this.overrides.delete(id);
    else this.overrides.add(id);
    const want = state === 'auto' ? 'closed' : `forced-${state}`;
    return this.untilReplicas(id, (s) => s === want, `every replica's breaker of ${id} ${want}`);
  }

  /** Polls `GET /admin/connectors/{id}` until at least one replica reports and every one's state passes `ok`. */
  untilReplicas(id: string, ok: (state: string) => boolean, what: string, timeoutMs = 10000): Promise<ApiConnector> {
    return eventually(
      async () => {
        const c = await this.connector(id);
        const replicas = c.breaker?.replicas ?? [];
        return replicas.length > 0 && replicas.every((r) => ok(r.state)) ? c : undefined;
      },
      timeoutMs,
      what,
    );
  }

  /** Deletes the routes created, returns forced breakers to auto and restores patched fields. */
  async restore(): Promise<void> {
    for (const id of this.routes.splice(0)) await this.t.api.adminRaw(this.secret, 'DELETE', `/admin/routes/${id}`);
    for (const id of [...this.overrides]) await this.breaker(id, 'auto');
    for (const [id, fields] of this.patched) await this.t.api.adminRaw(this.secret, 'PATCH', `/admin/connectors/${id}`, fields);
    this.patched.clear();
    await settle();
  }
}

/** Lets the connector processes reload the registry after a change notice (they read Postgres within milliseconds of it). */
function settle(): Promise<void> {
  return new Promise((r) => setTimeout(r, RELOAD_MS));
}

/** `GET /v1/messages/{id}` of project `p` with submissions and connector ids. */
export async function traced(p: TestProject, id: string): Promise<TracedMessage> {
  return (await p.gw.message(id)) as TracedMessage;
}

/**
 * Waits until message `id` of `p` is final and no attempt is still `submitting`, and returns it
 * with submissions. A carrier's DLR can make the message final before the sms-connector has
 * written that carrier's answer to the submission row.
 */
export async function final(p: TestProject, id: string, timeoutMs = 60000): Promise<TracedMessage> {
  return (await p.gw.waitFor(
    id,
    (m) => FINAL.has(m.status) && !(m as TracedMessage).submissions.some((s) => s.outcome === 'submitting'),
    timeoutMs,
  )) as TracedMessage;
}
