import { breakerRecordStale } from '@gw/routing';
import { ConnectorRuntime, type ConnectorRow } from './connector-runtime';

const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const BEAT_MS = 1000;
const ROW: ConnectorRow = {
  id: 'conn_a',
  name: 'jasmin-a',
  kind: 'jasmin',
  settings: { url: 'http://127.0.0.1:1401', username: 'gw', password_ref: 'env:JASMIN_PASSWORD' },
  enabled: true,
  tps: null,
  window: null,
  breakerFailures: 5,
  breakerHalfOpenMs: 30_000,
  breakerOverride: null,
};

/** A runtime over a registry of `rows()` and a Redis that records the breaker fields written and deleted. */
function runtime(rows: () => ConnectorRow[]) {
  const writes: Array<{ key: string; field: string; value: string }> = [];
  const deletes: string[] = [];
  const redis = {
    multi() {
      const tx = {
        hset: (key: string, field: string, value: string) => (writes.push({ key, field, value }), tx),
        expire: () => tx,
        exec: async () => [],
      };
      return tx;
    },
    hdel: async (key: string, field: string) => (deletes.push(`${key} ${field}`), 1),
  };
  const rt = new ConnectorRuntime({
    load: async () => ({ connectors: rows(), routes: [] }),
    orderCandidates: () => [],
    redis: redis as never,
    replicaId: 'host:1',
    heartbeatMs: BEAT_MS,
    secrets: () => 'secret',
    sink: {} as never,
    log: { info: () => undefined, warn: () => undefined },
    closeTimeoutMs: 100,
  });
  return { rt, writes, deletes };
}

describe('ConnectorRuntime breaker heartbeat', () => {
  // Only the clock and timers are faked: closing an adapter's HTTP client (undici) settles through queueMicrotask.
  beforeEach(() => jest.useFakeTimers({ now: T0, doNotFake: ['queueMicrotask'] }));
  afterEach(() => jest.useRealTimers());

  it('rewrites each breaker record every heartbeat with a new reported_at, so readers keep it fresh', async () => {
    const { rt, writes } = runtime(() => [ROW]);
    await rt.reload();
    expect(writes).toHaveLength(1);
    expect(writes[0]!.key).toBe('gw:breaker:conn_a');
    expect(writes[0]!.field).toBe('host:1');
    expect(JSON.parse(writes[0]!.value)).toEqual({
      state: 'closed',
      since: new Date(T0).toISOString(),
      failures: 0,
      reported_at: T0,
      heartbeat_ms: BEAT_MS,
    });

    await jest.advanceTimersByTimeAsync(3 * BEAT_MS);
    expect(writes.map((w) => JSON.parse(w.value).reported_at)).toEqual([T0, T0 + BEAT_MS, T0 + 2 * BEAT_MS, T0 + 3 * BEAT_MS]);
    // Unchanged state, renewed heartbeat: fresh now, stale once three more heartbeats go unwritten.
    expect(JSON.parse(writes[3]!.value).since).toBe(new Date(T0).toISOString());
    expect(breakerRecordStale(writes[3]!.value, Date.now() + 3 * BEAT_MS)).toBe(false);
    expect(breakerRecordStale(writes[3]!.value, Date.now() + 3 * BEAT_MS + 1)).toBe(true);
    await rt.close();
  });

  it('stops the heartbeat on close and never writes back a connector a reload stopped', async () => {
    let rows = [ROW];
    const { rt, writes, deletes } = runtime(() => rows);
    await rt.reload();
    rows = [];
    await rt.reload();
    expect(deletes).toEqual(['gw:breaker:conn_a host:1']);
    await jest.advanceTimersByTimeAsync(2 * BEAT_MS);
    expect(writes).toHaveLength(1);

    rows = [ROW];
    await rt.reload();
    await rt.close();
    expect(deletes).toEqual(['gw:breaker:conn_a host:1', 'gw:breaker:conn_a host:1']);
    await jest.advanceTimersByTimeAsync(5 * BEAT_MS);
    expect(writes).toHaveLength(2);
  });
});
