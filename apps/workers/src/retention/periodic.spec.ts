import { runPeriodically } from './periodic';

describe('runPeriodically', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('runs at once and every interval, skipping ticks while a run is in progress', async () => {
    let finish: () => void = () => undefined;
    const task = jest.fn(() => new Promise<void>((r) => (finish = r)));
    const periodic = runPeriodically(task, 100, () => undefined);
    expect(task).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(350);
    expect(task).toHaveBeenCalledTimes(1);
    finish();
    await jest.advanceTimersByTimeAsync(100);
    expect(task).toHaveBeenCalledTimes(2);
    finish();
    await periodic.stop();
  });

  it('reports a failed run and runs again at the next tick', async () => {
    const errors: unknown[] = [];
    const task = jest.fn().mockRejectedValueOnce(new Error('db down')).mockResolvedValue(undefined);
    const periodic = runPeriodically(task, 100, (err) => errors.push(err));
    await jest.advanceTimersByTimeAsync(100);
    expect(errors).toEqual([new Error('db down')]);
    expect(task).toHaveBeenCalledTimes(2);
    await periodic.stop();
  });

  it('stop() tells the run to stop, waits for it and runs nothing more', async () => {
    let seen = false;
    const task = jest.fn(async (stopping: () => boolean) => {
      while (!stopping()) await new Promise((r) => setTimeout(r, 10));
      seen = true;
    });
    const periodic = runPeriodically(task, 100, () => undefined);
    const stopped = periodic.stop();
    await jest.advanceTimersByTimeAsync(20);
    await stopped;
    expect(seen).toBe(true);
    await jest.advanceTimersByTimeAsync(500);
    expect(task).toHaveBeenCalledTimes(1);
  });
});
