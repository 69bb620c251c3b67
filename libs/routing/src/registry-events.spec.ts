import {
  BREAKER_STALE_HEARTBEATS,
  breakerKey,
  breakerRecordStale,
  partitionBreakerStates,
  REGISTRY_CHANNEL,
  publishRegistryChange,
  readBreakerStates,
} from './registry-events';

/** The readers' clock in these tests (epoch ms). */
const NOW = Date.parse('2026-01-01T00:10:00.000Z');
const BEAT_MS = 10_000;
/** A record of a replica that reported `ageMs` before NOW, heartbeating every BEAT_MS. */
const record = (ageMs: number, fields: Record<string, unknown> = {}) =>
  JSON.stringify({
    state: 'closed',
    since: '2026-01-01T00:00:00.000Z',
    failures: 0,
    reported_at: NOW - ageMs,
    heartbeat_ms: BEAT_MS,
    ...fields,
  });

describe('registry change announcements', () => {
  it('publish an empty message on gw:connectors:changed', async () => {
    const publish = jest.fn().mockResolvedValue(1);
    await publishRegistryChange({ publish } as never);
    expect(REGISTRY_CHANNEL).toBe('gw:connectors:changed');
    expect(publish).toHaveBeenCalledWith('gw:connectors:changed', '');
  });
});

describe('breakerRecordStale', () => {
  it(`is fresh up to ${BREAKER_STALE_HEARTBEATS} heartbeats after reported_at, stale past them`, () => {
    expect(BREAKER_STALE_HEARTBEATS).toBe(3);
    expect(breakerRecordStale(record(0), NOW)).toBe(false);
    expect(breakerRecordStale(record(3 * BEAT_MS), NOW)).toBe(false);
    expect(breakerRecordStale(record(3 * BEAT_MS + 1), NOW)).toBe(true);
    // A writer whose clock runs ahead of the reader's is fresh.
    expect(breakerRecordStale(record(-5000), NOW)).toBe(false);
  });

  it("judges by the record's own heartbeat_ms", () => {
    expect(breakerRecordStale(record(20_000, { heartbeat_ms: 5000 }), NOW)).toBe(true);
    expect(breakerRecordStale(record(20_000, { heartbeat_ms: 60_000 }), NOW)).toBe(false);
  });

  it('is stale without a heartbeat: a record of a version before heartbeats, a bad heartbeat, not JSON', () => {
    expect(breakerRecordStale(JSON.stringify({ state: 'open', since: '2026-01-01T00:00:00.000Z', failures: 5 }), NOW)).toBe(true);
    expect(breakerRecordStale(record(0, { reported_at: new Date(NOW).toISOString() }), NOW)).toBe(true);
    expect(breakerRecordStale(record(0, { heartbeat_ms: 0 }), NOW)).toBe(true);
    expect(breakerRecordStale('{not json', NOW)).toBe(true);
    expect(breakerRecordStale('null', NOW)).toBe(true);
  });
});

describe('partitionBreakerStates', () => {
  it('lists fresh records by replica without their heartbeat, names stale fields, and leaves out fresh values it cannot read', () => {
    const { replicas, stale } = partitionBreakerStates(
      {
        'replica-b': record(1000, { state: 'open', since: '2026-01-01T00:00:05.000Z', failures: 5 }),
        'replica-a': record(29_000, { state: 'forced-closed', since: '2026-01-01T00:00:00Z' }),
        'replica-dead': record(31_000),
        'replica-old': JSON.stringify({ state: 'open', since: '2026-01-01T00:00:00.000Z', failures: 5 }),
        'replica-c': '{not json',
        'replica-newer': record(0, { state: 'ajar' }),
        'replica-e': record(0, { since: 'yesterday' }),
      },
      NOW,
    );
    expect(replicas).toEqual([
      { replica: 'replica-a', state: 'forced-closed', since: '2026-01-01T00:00:00Z', failures: 0 },
      { replica: 'replica-b', state: 'open', since: '2026-01-01T00:00:05.000Z', failures: 5 },
    ]);
    expect(stale.sort()).toEqual(['replica-c', 'replica-dead', 'replica-old']);
  });
});

describe('readBreakerStates', () => {
  it("reads every live replica's state from gw:breaker:<id> and deletes the stale fields that still hold what was read", async () => {
    const hash = { 'replica-a': record(1000), 'replica-dead': record(40_000), 'replica-old': '{"state":"open"}' };
    const hgetall = jest.fn().mockResolvedValue(hash);
    const evalScript = jest.fn().mockResolvedValue(0);
    const states = await readBreakerStates({ hgetall, eval: evalScript } as never, 'conn_x', NOW);
    expect(hgetall).toHaveBeenCalledWith(breakerKey('conn_x'));
    expect(breakerKey('conn_x')).toBe('gw:breaker:conn_x');
    expect(states).toEqual([{ replica: 'replica-a', state: 'closed', since: '2026-01-01T00:00:00.000Z', failures: 0 }]);
    expect(evalScript).toHaveBeenCalledTimes(1);
    expect(evalScript.mock.calls[0].slice(1)).toEqual([
      1,
      'gw:breaker:conn_x',
      'replica-dead',
      hash['replica-dead'],
      'replica-old',
      hash['replica-old'],
    ]);
  });

  it('answers the fresh states when deleting the stale ones fails, and deletes nothing when none is stale', async () => {
    const failing = jest.fn().mockRejectedValue(new Error('READONLY'));
    const read = (hash: Record<string, string>, evalScript: jest.Mock) =>
      readBreakerStates({ hgetall: jest.fn().mockResolvedValue(hash), eval: evalScript } as never, 'conn_y', NOW);
    expect(await read({ 'replica-a': record(0), 'replica-dead': record(40_000) }, failing)).toHaveLength(1);
    const unused = jest.fn();
    expect(await read({ 'replica-a': record(0) }, unused)).toHaveLength(1);
    expect(await read({}, unused)).toEqual([]);
    expect(unused).not.toHaveBeenCalled();
  });
});
