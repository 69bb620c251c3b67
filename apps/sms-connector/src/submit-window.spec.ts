import { SubmitWindow } from './submit-window';

/** A window over an in-memory set of message ids still `sending`, with a hand-driven clock. */
function windowOf(size: number, ttlMs = 10_000) {
  const sending = new Set<string>();
  const polls: string[][] = [];
  let now = 0;
  const window = new SubmitWindow({
    size,
    ttlMs,
    refreshMs: 5,
    now: () => now,
    answered: async (ids) => {
      polls.push(ids);
      return ids.filter((id) => !sending.has(id));
    },
  });
  return { window, sending, polls, advance: (ms: number) => (now += ms) };
}

/** Resolves true if `p` settles within `ms`, false otherwise. */
const settlesWithin = (p: Promise<unknown>, ms: number) =>
  Promise.race([p.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms))]);

describe('SubmitWindow', () => {
  it('lets `size` messages through, then holds the next until the SMSC answered one of them', async () => {
    const { window, sending } = windowOf(2);
    for (const id of ['m1', 'm2']) {
      const slot = await window.acquire();
      sending.add(id);
      slot.handedOver(id);
    }
    const third = window.acquire();
    expect(await settlesWithin(third, 30)).toBe(false);
    sending.delete('m1');
    expect(await settlesWithin(third, 200)).toBe(true);
    expect(window.used).toBe(2);
  });

  it('frees a place at once when a submission is released, without polling', async () => {
    const { window, polls } = windowOf(1);
    const first = await window.acquire();
    const second = window.acquire();
    first.release();
    expect(await settlesWithin(second, 50)).toBe(true);
    expect(window.used).toBe(1);
    expect(polls.every((ids) => ids.length === 0)).toBe(true);
  });

  it('lets waiters through in arrival order, one per free place', async () => {
    const { window } = windowOf(1);
    const first = await window.acquire();
    const order: number[] = [];
    const waiting = [1, 2, 3].map((n) => window.acquire().then((slot) => (order.push(n), slot)));
    first.release();
    const s1 = await waiting[0]!;
    expect(order).toEqual([1]);
    s1.release();
    const s2 = await waiting[1]!;
    expect(order).toEqual([1, 2]);
    s2.release();
    await waiting[2];
    expect(order).toEqual([1, 2, 3]);
  });

  it('stops counting a message whose answer never came after the TTL', async () => {
    const { window, sending, advance } = windowOf(1, 1_000);
    const slot = await window.acquire();
    sending.add('lost');
    slot.handedOver('lost');
    const next = window.acquire();
    expect(await settlesWithin(next, 30)).toBe(false);
    advance(1_001);
    expect(await settlesWithin(next, 200)).toBe(true);
  });

  it('counts a slot once even if it is finished twice', async () => {
    const { window } = windowOf(3);
    const slot = await window.acquire();
    slot.handedOver('m1');
    slot.release();
    expect(window.used).toBe(1);
  });

  it('never waits when off (size 0), and releases every waiter on close', async () => {
    const off = SubmitWindow.off();
    for (let i = 0; i < 1000; i++) (await off.acquire()).handedOver(`m${i}`);
    expect(off.used).toBe(0);

    const { window } = windowOf(1);
    (await window.acquire()).handedOver('m1');
    const waiters = [window.acquire(), window.acquire()];
    window.close();
    expect(await settlesWithin(Promise.all(waiters), 50)).toBe(true);
  });

  it('keeps its count when the status poll fails, and reports the error', async () => {
    const errors: unknown[] = [];
    const window = new SubmitWindow({
      size: 1,
      ttlMs: 10_000,
      refreshMs: 5,
      answered: async () => {
        throw new Error('connection refused');
      },
      onError: (err) => errors.push(err),
    });
    (await window.acquire()).handedOver('m1');
    const next = window.acquire();
    expect(await settlesWithin(next, 40)).toBe(false);
    expect(errors.length).toBeGreaterThan(0);
    expect(window.used).toBe(1);
    window.close();
    await next;
  });
});
