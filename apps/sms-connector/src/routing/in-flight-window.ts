import type Redis from 'ioredis';
import { Semaphore, TimeoutError } from 'redis-semaphore';
import { NotSubmittedError } from '@gw/connectors';

/** How long a slot is held at most (ms), so a crashed replica's slots come back; above every adapter's own submit timeout. */
const SLOT_TTL_MS = 60_000;

/**
 * A connector's in-flight window: at most `size` submits waiting for the carrier's answer (an
 * HTTP response, a submit_sm_resp) at once, across every connector replica. A counting semaphore
 * in Redis (redis-semaphore's Semaphore, key `gw:window:<connector id>`, one slot per submit,
 * released when the answer comes, or after SLOT_TTL_MS if the replica died). A submit waits for a
 * slot up to `waitMs`; Redis unavailable fails open, as the throughput limit does.
 */
export class InFlightWindow {
  constructor(
    private readonly redis: Redis,
    private readonly waitMs = 30_000,
  ) {}

  /**
   * Runs `submit` inside a slot of connector `connectorId`'s window of `size` (null: no window).
   * @throws NotSubmittedError when no slot came free within `waitMs`; else what `submit` throws.
   */
  async run<T>(connectorId: string, size: number | null, submit: () => Promise<T>): Promise<T> {
    if (!size) return submit();
    const slot = new Semaphore(this.redis, `gw:window:${connectorId}`, size, {
      lockTimeout: SLOT_TTL_MS,
      acquireTimeout: this.waitMs,
      retryInterval: 5,
      refreshInterval: 0,
    });
    let held = true;
    try {
      await slot.acquire();
    } catch (err) {
      if (err instanceof TimeoutError) throw new NotSubmittedError(`in-flight window of ${size} full for ${this.waitMs} ms`);
      held = false;
    }
    try {
      return await submit();
    } finally {
      if (held) await slot.release().catch(() => undefined);
    }
  }
}
