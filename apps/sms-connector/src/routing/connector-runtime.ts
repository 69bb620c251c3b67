import { createHash } from 'node:crypto';
import type Redis from 'ioredis';
import { carrierKind } from '@gw/connectors';
import type { CarrierAdapter, CarrierLog, ReceiptSink, SecretResolver } from '@gw/connectors';
import type { ConnectorEntity } from '@gw/database';
import { breakerKey, type BreakerRecord, type BreakerState, type RouteCandidate } from '@gw/routing';
import { ConnectorBreaker } from './connector-breaker';

/** What the runtime uses of a connector of the registry (table `connectors`). */
export type ConnectorRow = Pick<
  ConnectorEntity,
  'id' | 'name' | 'kind' | 'settings' | 'enabled' | 'tps' | 'window' | 'breakerFailures' | 'breakerHalfOpenMs' | 'breakerOverride'
>;

/** A route of the registry (table `sms_routes`), as orderCandidates ranks it. */
export type RouteRow = RouteCandidate;

/** One running connector: its adapter, breaker and throughput limit. */
export interface LiveConnector {
  row: ConnectorRow;
  adapter: CarrierAdapter;
  breaker: ConnectorBreaker;
}

/** Where the runtime reads the registry, and how it orders a message's candidates. */
export interface RuntimeDeps {
  load(): Promise<{ connectors: ConnectorRow[]; routes: RouteRow[] }>;
  orderCandidates(routes: RouteRow[], projectId: string): string[];
  /** Publishes and reads breaker states: the hash `gw:breaker:<id>`, one field per replica. */
  redis: Redis;
  replicaId: string;
  /**
   * How often every breaker record is rewritten besides its changes (ms): its `reported_at` is the
   * replica's heartbeat, and readers drop a record BREAKER_STALE_HEARTBEATS heartbeats old.
   */
  heartbeatMs: number;
  secrets: SecretResolver;
  sink: ReceiptSink;
  log: CarrierLog;
  closeTimeoutMs: number;
  /** Where breaker states are also exposed as metrics (ConnectorMetrics), by connector name. */
  metrics?: { breakerState(name: string, state: BreakerState): void; remove(name: string): void };
}

/**
 * A connector's breaker hash is kept this long after its last write (s), so it fades once no replica
 * runs the connector; a dead replica's field among live ones is dropped by readers as stale.
 */
const BREAKER_STATE_TTL_S = 3600;

/**
 * The connectors of this process, built from the registry (Postgres `connectors` and
 * `sms_routes`) and rebuilt on reload(): a new or changed connector gets a new adapter (bound ones
 * are started with the receipt sink), a disabled or removed one is closed, breakers keep their
 * state unless their settings change. A connector whose settings cannot be used (unknown kind,
 * bad settings, unresolvable secret) is logged and left out, never fatal to the others.
 */
export class ConnectorRuntime {
  private readonly live = new Map<string, LiveConnector & { fingerprint: string }>();
  private routes: RouteRow[] = [];
  /** Reloads and heartbeats, run one at a time in order, so a heartbeat never writes back a connector a reload stopped. */
  private serial: Promise<void> = Promise.resolve();
  private readonly heartbeat: NodeJS.Timeout;

  constructor(private readonly deps: RuntimeDeps) {
    this.heartbeat = setInterval(() => void this.beat(), deps.heartbeatMs);
    this.heartbeat.unref();
  }

  /** The running connector `id`, or undefined when it is disabled, unknown or failed to start. */
  connector(id: string): LiveConnector | undefined {
    return this.live.get(id);
  }

  /** Connector ids to try for an MT of `projectId` to `to` (E.164), in order (see orderCandidates). */
  candidates(projectId: string, to: string): string[] {
    const digits = to.replace(/^\+/, '');
    const matching = this.routes.filter(
      (r) => r.enabled && (r.projectId === null || r.projectId === projectId) && digits.startsWith(r.prefix),
    );
    return this.deps.orderCandidates(matching, projectId);
  }

  /** Re-reads the registry and applies it; reloads run one at a time. */
  reload(): Promise<void> {
    this.serial = this.serial.then(
      () => this.apply(),
      () => this.apply(),
    );
    return this.serial;
  }

  /** Stops the heartbeat, closes every connector (SMPP: unbinds) and removes this replica's breaker entries. */
  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    await this.serial.catch(() => undefined);
    await Promise.all([...this.live.keys()].map((id) => this.stop(id)));
  }

  /** Rewrites every running connector's breaker record with a new `reported_at`; publish() logs its failures. */
  private beat(): Promise<void> {
    const publishAll = async () => {
      await Promise.all([...this.live].map(([id, c]) => this.publish(id, c.breaker)));
    };
    this.serial = this.serial.then(publishAll, publishAll);
    return this.serial;
  }

  private async apply(): Promise<void> {
    const { connectors, routes } = await this.deps.load();
    const wanted = new Map(connectors.filter((c) => c.enabled).map((c) => [c.id, c]));
    for (const id of [...this.live.keys()]) if (!wanted.has(id)) await this.stop(id);
    for (const row of wanted.values()) await this.upsert(row);
    this.routes = routes;
  }

  private async upsert(row: ConnectorRow): Promise<void> {
    const fingerprint = createHash('sha256')
      .update(JSON.stringify([row.kind, row.name, row.settings]))
      .digest('hex');
    const breakerSettings = { failures: row.breakerFailures, halfOpenAfterMs: row.breakerHalfOpenMs };
    const current = this.live.get(row.id);
    if (current && current.fingerprint === fingerprint) {
      current.row = row;
      current.breaker.configure(breakerSettings, row.breakerOverride);
      return;
    }
    let adapter: CarrierAdapter;
    try {
      const kind = carrierKind(row.kind);
      if (!kind) throw new Error(`unknown carrier kind ${row.kind}`);
      adapter = kind.create({ id: row.id, name: row.name, kind: row.kind }, kind.parseSettings(row.settings), {
        secrets: this.deps.secrets,
        log: this.deps.log,
      });
    } catch (err) {
      this.deps.log.warn({ connector_id: row.id, reason: (err as Error).message }, 'connector left out: its settings cannot be used');
      if (current) await this.stop(row.id);
      return;
    }
    const breaker = current?.breaker ?? new ConnectorBreaker(breakerSettings, (b) => void this.publish(row.id, b));
    breaker.configure(breakerSettings, row.breakerOverride);
    if (current) await this.closeAdapter(current.adapter);
    this.live.set(row.id, { row, adapter, breaker, fingerprint });
    this.deps.log.info({ connector_id: row.id, name: row.name, kind: row.kind }, 'connector ready');
    // Binds come up in the background (with their own reconnect backoff): a carrier that is down
    // must not hold up the others, and its submits fail as not submitted until it is bound.
    if (adapter.start) {
      adapter
        .start(this.deps.sink)
        .catch((err: Error) => this.deps.log.warn({ connector_id: row.id, reason: err.message }, 'connector start failed'));
    }
    await this.publish(row.id, breaker);
  }

  private async stop(id: string): Promise<void> {
    const current = this.live.get(id);
    if (!current) return;
    this.live.delete(id);
    this.deps.metrics?.remove(current.row.name);
    await this.closeAdapter(current.adapter);
    await this.deps.redis.hdel(breakerKey(id), this.deps.replicaId).catch(() => undefined);
  }

  private async closeAdapter(adapter: CarrierAdapter): Promise<void> {
    await adapter
      .close(this.deps.closeTimeoutMs)
      .catch((err: Error) => this.deps.log.warn({ connector_id: adapter.identity.id, reason: err.message }, 'connector close failed'));
  }

  private async publish(id: string, breaker: ConnectorBreaker): Promise<void> {
    const name = this.live.get(id)?.row.name;
    if (name) this.deps.metrics?.breakerState(name, breaker.state());
    const key = breakerKey(id);
    const record: BreakerRecord = { ...breaker.snapshot(), reported_at: Date.now(), heartbeat_ms: this.deps.heartbeatMs };
    try {
      await this.deps.redis.multi().hset(key, this.deps.replicaId, JSON.stringify(record)).expire(key, BREAKER_STATE_TTL_S).exec();
    } catch (err) {
      this.deps.log.warn({ connector_id: id, reason: (err as Error).message }, 'breaker state not published');
    }
  }
}
