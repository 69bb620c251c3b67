import { reconnectDelay, seededRandom } from './backoff';
import { BindWindow } from './bind-window';

describe('seededRandom', () => {
  it('repeats for a seed and stays in [0, 1)', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(xs);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(seededRandom(43)()).not.toBe(seededRandom(42)());
  });
});

describe('reconnectDelay', () => {
  it('doubles from min up to max, jittered within the upper half, never below min', () => {
    const low = () => 0;
    const high = () => 0.999999;
    expect(reconnectDelay(0, 1000, 30_000, low)).toBe(1000);
    expect(reconnectDelay(0, 1000, 30_000, high)).toBe(1000);
    expect(reconnectDelay(1, 1000, 30_000, low)).toBe(1000);
    expect(reconnectDelay(1, 1000, 30_000, high)).toBe(2000);
    expect(reconnectDelay(3, 1000, 30_000, low)).toBe(4000);
    expect(reconnectDelay(3, 1000, 30_000, high)).toBe(8000);
    expect(reconnectDelay(10, 1000, 30_000, low)).toBe(15_000);
    expect(reconnectDelay(100, 1000, 30_000, high)).toBe(30_000);
  });

  it('spreads binds with different random draws', () => {
    const r = seededRandom(7);
    const delays = new Set(Array.from({ length: 20 }, () => reconnectDelay(5, 1000, 30_000, r)));
    expect(delays.size).toBeGreaterThan(10);
  });
});

describe('BindWindow', () => {
  it('allows `size` outstanding submit_sm', () => {
    const w = new BindWindow(2, 1000);
    expect(w.hasRoom(0)).toBe(true);
    w.take();
    w.take();
    expect(w.hasRoom(0)).toBe(false);
    w.release();
    expect(w.hasRoom(0)).toBe(true);
  });

  it('halves and pauses on throttling, then widens by one per accepted submit_sm', () => {
    const w = new BindWindow(8, 1000);
    w.throttled(5000);
    expect(w.effective).toBe(4);
    expect(w.hasRoom(5999)).toBe(false);
    expect(w.hasRoom(6000)).toBe(true);
    w.throttled(6000);
    w.throttled(6000);
    w.throttled(6000);
    expect(w.effective).toBe(1);
    for (let i = 0; i < 3; i++) w.accepted();
    expect(w.effective).toBe(4);
    for (let i = 0; i < 10; i++) w.accepted();
    expect(w.effective).toBe(8);
    w.throttled(7000);
    w.reset();
    expect(w.effective).toBe(8);
    expect(w.hasRoom(7000)).toBe(true);
  });
});
