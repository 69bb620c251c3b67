import { cachedReading } from './scrape-cache';

describe('cachedReading', () => {
  it('shares one load between the collectors of a scrape and reuses it for ttlMs', async () => {
    let loads = 0;
    let now = 1_000;
    jest.spyOn(Date, 'now').mockImplementation(() => now);
    const read = cachedReading(async () => ++loads, 1000, 500, 'counting');
    expect(await Promise.all([read(), read()])).toEqual([1, 1]);
    now += 999;
    expect(await read()).toBe(1);
    now += 1;
    expect(await read()).toBe(2);
    jest.restoreAllMocks();
  });

  it('rejects a load that takes longer than timeoutMs, and loads again on the next call', async () => {
    let calls = 0;
    const read = cachedReading(
      () => (++calls === 1 ? new Promise<number>(() => undefined) : Promise.resolve(7)),
      60_000,
      20,
      'reading the backlog',
    );
    await expect(read()).rejects.toThrow('reading the backlog took over 20 ms');
    expect(await read()).toBe(7);
  });
});
