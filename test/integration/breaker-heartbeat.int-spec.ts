import IORedis from 'ioredis';
import { BREAKER_STALE_HEARTBEATS, breakerKey, readBreakerStates } from '@gw/routing';

const BEAT_MS = 10_000;
/** A breaker record as a replica heartbeating every BEAT_MS writes it, `ageMs` old. */
const record = (ageMs: number, state = 'closed') =>
  JSON.stringify({ state, since: '2026-01-01T00:00:00.000Z', failures: 0, reported_at: Date.now() - ageMs, heartbeat_ms: BEAT_MS });

/**
 * Breaker states of a connector's replicas on the stack's Redis: a replica that stopped
 * heartbeating (killed) is left out of the states and its field removed from `gw:breaker:<id>`,
 * while a live one, even one that writes between the read and the removal, stays.
 */
describe('breaker records of dead replicas (real Redis)', () => {
  const redis = new IORedis(process.env.REDIS_URL!, { maxRetriesPerRequest: 1, commandTimeout: 2000 });
  const connectorId = `conn_heartbeat_${process.pid}`;
  const key = breakerKey(connectorId);
  afterEach(() => redis.del(key));
  afterAll(() => redis.disconnect());

  it('reads only the fresh record and deletes the stale and the pre-heartbeat fields', async () => {
    const stale = BREAKER_STALE_HEARTBEATS * BEAT_MS + 5000;
    await redis.hset(key, {
      'host-live:1': record(1000, 'open'),
      'host-dead:2': record(stale),
      'host-old:3': JSON.stringify({ state: 'closed', since: '2026-01-01T00:00:00.000Z', failures: 0 }),
    });
    expect(await readBreakerStates(redis, connectorId)).toEqual([
      { replica: 'host-live:1', state: 'open', since: '2026-01-01T00:00:00.000Z', failures: 0 },
    ]);
    expect(Object.keys(await redis.hgetall(key))).toEqual(['host-live:1']);
  });

  it('keeps a stale field that its replica rewrote between the read and the removal', async () => {
    const stale = record(BREAKER_STALE_HEARTBEATS * BEAT_MS + 5000);
    await redis.hset(key, { 'host-late:1': stale, 'host-dead:2': stale });
    const revived = record(0, 'half-open');
    const racing = {
      hgetall: async (k: string) => {
        const hash = await redis.hgetall(k);
        await redis.hset(k, 'host-late:1', revived);
        return hash;
      },
      eval: redis.eval.bind(redis),
    };
    expect(await readBreakerStates(racing as never, connectorId)).toEqual([]);
    expect(await redis.hgetall(key)).toEqual({ 'host-late:1': revived });
    expect((await readBreakerStates(redis, connectorId)).map((r) => [r.replica, r.state])).toEqual([['host-late:1', 'half-open']]);
  });
});
