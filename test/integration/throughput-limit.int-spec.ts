import IORedis from 'ioredis';
import { ThroughputLimit } from '../../apps/sms-connector/src/routing/throughput-limit';

/** A connector's messages-per-second limit on real Redis, shared by two limits standing for two connector replicas. */
describe('throughput limit across replicas (real Redis)', () => {
  const redis = new IORedis(process.env.REDIS_URL!, { maxRetriesPerRequest: 1 });
  const connector = `conn_tps_${process.pid}`;
  afterAll(async () => {
    await redis.del(`gw:tps:${connector}`);
    redis.disconnect();
  });

  it('spreads 50 submits at 20 per second over both replicas across three seconds, none refused', async () => {
    const replicas = [new ThroughputLimit(redis), new ThroughputLimit(redis)];
    const started = Date.now();
    const at = await Promise.all(
      Array.from({ length: 50 }, async (_, i) => {
        await replicas[i % 2]!.take(connector, 20);
        return Date.now() - started;
      }),
    );
    const inFirstSecond = at.filter((ms) => ms < 900).length;
    expect(inFirstSecond).toBe(20);
    // 20 in the first second, 20 in the second, 10 in the third: the last waits two full windows.
    expect(Math.max(...at)).toBeGreaterThanOrEqual(1900);
    expect(Math.max(...at)).toBeLessThan(4000);
  });

  it('lets every submit through at once without a limit', async () => {
    const limit = new ThroughputLimit(redis);
    const started = Date.now();
    await Promise.all(Array.from({ length: 100 }, () => limit.take(connector, null)));
    expect(Date.now() - started).toBeLessThan(100);
  });
});
