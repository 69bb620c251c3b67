import IORedis from 'ioredis';
import { BREAKER_STALE_HEARTBEATS, breakerKey, type BreakerRecord } from '@gw/routing';
import { CarrierAdmin } from '../support/carriers';
import { apps, E2e, env, eventually } from '../support/e2e';

/** Slack over the staleness bound for the last heartbeat's write and the polls (ms). */
const SLACK_MS = 3000;

/**
 * A crashed sms-connector replica: killed (SIGKILL, so it removes nothing), its breaker state of a
 * connector stops being listed by `GET /admin/connectors/{id}` within BREAKER_STALE_HEARTBEATS of
 * its heartbeats and its field leaves `gw:breaker:<id>`; the replica started in its place is
 * listed. The e2e env (scripts/test.sh) sets a short BREAKER_HEARTBEAT_MS; the bound is read from
 * the replica's own record, so the test holds for any setting. The apps are brought back up even
 * when it fails.
 */
describe('breaker states of a killed sms-connector replica', () => {
  const t = new E2e();
  const admin = new CarrierAdmin(t);
  const redis = new IORedis(env('REDIS_URL'), { maxRetriesPerRequest: 1, commandTimeout: 2000 });

  beforeAll(() => t.start());
  afterAll(async () => {
    redis.disconnect();
    await t.stop();
  });

  /** The replicas `GET /admin/connectors/{id}` lists for connector `id`. */
  const listed = async (id: string) => ((await admin.connector(id)).breaker?.replicas ?? []).map((r) => r.replica);

  it('drops the killed replica within its staleness bound, deletes its field and lists its successor', async () => {
    const id = await admin.connectorId('kannel-local');
    const key = breakerKey(id);
    const replica = await eventually(async () => (await listed(id))[0], 30000, 'a replica of kannel-local');
    const record = async () => {
      const value = await redis.hget(key, replica);
      return value ? (JSON.parse(value) as BreakerRecord) : undefined;
    };
    const first = (await record())!;
    // A live replica rewrites its record every heartbeat though its state stays the same.
    await eventually(
      async () => ((await record())!.reported_at > first.reported_at ? true : undefined),
      3 * first.heartbeat_ms,
      'a heartbeat',
    );
    const boundMs = BREAKER_STALE_HEARTBEATS * first.heartbeat_ms;

    await apps('kill', 'sms-connector');
    const killedAt = Date.now();
    try {
      expect(await listed(id)).toContain(replica);
      await eventually(
        async () => (!(await listed(id)).includes(replica) ? true : undefined),
        boundMs + SLACK_MS,
        'the killed replica unlisted',
      );
      expect(Date.now() - killedAt).toBeLessThanOrEqual(boundMs + SLACK_MS);
      expect(await redis.hexists(key, replica)).toBe(0);
    } finally {
      await apps('up');
    }
    const successor = await eventually(async () => (await listed(id)).find((r) => r !== replica), 30000, 'the new replica listed');
    expect(successor).toMatch(/^.+:\d+$/);
  });
});
