import IORedis from 'ioredis';
import { NotSubmittedError } from '@gw/connectors';
import { InFlightWindow } from '../../apps/sms-connector/src/routing/in-flight-window';

/** The per-connector in-flight window on real Redis, shared by two windows standing for two connector replicas. */
describe('in-flight window across replicas (real Redis)', () => {
  const redis = new IORedis(process.env.REDIS_URL!, { maxRetriesPerRequest: 1 });
  const connector = `conn_window_${process.pid}`;
  afterAll(async () => {
    await redis.del(`gw:window:${connector}`);
    redis.disconnect();
  });

  it('never lets more than `size` submits of one connector run at once over both replicas', async () => {
    const replicas = [new InFlightWindow(redis), new InFlightWindow(redis)];
    let running = 0;
    let peak = 0;
    const submit = async () => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 20));
      running--;
      return 'taken';
    };
    const results = await Promise.all(Array.from({ length: 24 }, (_, i) => replicas[i % 2]!.run(connector, 3, submit)));
    expect(results.every((r) => r === 'taken')).toBe(true);
    expect(peak).toBe(3);
  });

  it('gives up as not submitted when no slot frees within the wait, and frees slots of failed submits', async () => {
    const window = new InFlightWindow(redis, 100);
    let release!: () => void;
    const held = window.run(connector, 1, () => new Promise<void>((r) => (release = r)));
    await new Promise((r) => setTimeout(r, 20));
    await expect(window.run(connector, 1, async () => 'late')).rejects.toThrow(NotSubmittedError);
    release();
    await held;
    await expect(window.run(connector, 1, async () => Promise.reject(new Error('carrier down')))).rejects.toThrow('carrier down');
    expect(await window.run(connector, 1, async () => 'next')).toBe('next');
  });
});
