import type Redis from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';

/**
 * A connector's messages-per-second limit, shared by every connector replica through Redis
 * (rate-limiter-flexible's RateLimiterRedis: one atomic counter per connector per second, key
 * `gw:tps:<connector id>`). take() waits for a place in the current second rather than failing, so
 * a burst is spread over time instead of being moved to another connector.
 */
export class ThroughputLimit {
  private readonly limiters = new Map<number, RateLimiterRedis>();

  constructor(
    private readonly redis: Redis,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  /**
   * Takes one submit of `connectorId` under `tps` messages per second (null: no limit), waiting
   * as long as it takes. Redis unavailable fails open: the submit goes ahead unchecked, because a
   * carrier that enforces its own limit answers with throttling, which the adapters handle.
   */
  async take(connectorId: string, tps: number | null): Promise<void> {
    if (!tps) return;
    const limiter = this.limiterFor(tps);
    for (;;) {
      try {
        await limiter.consume(connectorId, 1);
        return;
      } catch (res) {
        if (!(res instanceof RateLimiterRes)) return;
        await this.sleep(Math.max(1, res.msBeforeNext));
      }
    }
  }

  private limiterFor(tps: number): RateLimiterRedis {
    let limiter = this.limiters.get(tps);
    if (!limiter) {
      limiter = new RateLimiterRedis({ storeClient: this.redis, keyPrefix: 'gw:tps', points: tps, duration: 1 });
      this.limiters.set(tps, limiter);
    }
    return limiter;
  }
}
