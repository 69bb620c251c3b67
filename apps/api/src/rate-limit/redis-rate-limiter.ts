import { Logger, OnApplicationShutdown } from '@nestjs/common';
import IORedis, { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { Counter } from 'prom-client';
import { LogFn, METRICS, nestLogFn } from '@gw/observability';
import type { LimitState } from './headers';

/** Prefix of every rate-limit key in Redis (`gw:ratelimit:<class>:<window>:project:<id>` ...), apart from BullMQ's. */
export const RATE_LIMIT_KEY_PREFIX = 'gw:ratelimit';

/** Least time between two "rate limiting unavailable" warnings of one process, ms. */
export const UNAVAILABLE_WARNING_INTERVAL_MS = 10_000;

/** One limit a request counts against: `key` names its counter (shared by every api process), `quota` requests per `windowS` seconds. */
export interface LimitPolicy {
  name: string;
  key: string;
  quota: number;
  windowS: number;
}

/**
 * ioredis client for rate limiting, from a `redis://host:port/db` URL. A dead or hung Redis never
 * holds a request: commands fail at once while it is not connected (no offline queue, no retries)
 * and after `timeoutMs` when it does not answer; it reconnects in the background.
 */
export function rateLimitRedis(url: string, timeoutMs: number): Redis {
  return new IORedis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: timeoutMs,
    // Requests never wait on a connection attempt; this only bounds how long an unanswered one lasts before the next.
    connectTimeout: 1000,
    // Both counters of a request, and those of concurrent requests, go out in one write.
    enableAutoPipelining: true,
  });
}

/**
 * Fixed-window counters in Redis (rate-limiter-flexible's RateLimiterRedis: one atomic Lua
 * INCRBY + PTTL per counter), so a limit holds across every api process and replica.
 *
 * Redis unavailable (not connected, or no answer within the client's command timeout) fails
 * open: the request passes unchecked and a warning is logged at most once per
 * UNAVAILABLE_WARNING_INTERVAL_MS with the number of requests that passed unchecked since the
 * last one; every such request is counted in `gw_rate_limit_unchecked_total`.
 */
const uncheckedTotal = new Counter({
  name: 'gw_rate_limit_unchecked_total',
  help: 'Requests let through without a rate limit check because Redis was unavailable',
  registers: [METRICS],
});

export class RedisRateLimiter implements OnApplicationShutdown {
  private readonly limiters = new LRUCache<string, RateLimiterRedis>({ max: 1_000 });
  private lastWarningAt = -Infinity;
  private unchecked = 0;

  constructor(
    private readonly redis: Redis,
    private readonly log: LogFn = nestLogFn(new Logger(RedisRateLimiter.name)),
    private readonly now: () => number = Date.now,
  ) {
    // ioredis reports connection failures as events; unheard, it prints them itself.
    redis.on('error', (err: Error) => this.warnUnavailable(err.message));
  }

  /**
   * Counts one request against each policy, all at once. Resolves with each policy's state (in
   * the order given), or null when Redis could not be asked (fail open, see the class).
   */
  async consume(policies: readonly LimitPolicy[]): Promise<LimitState[] | null> {
    try {
      return await Promise.all(policies.map((p) => this.consumeOne(p)));
    } catch (err) {
      this.unchecked++;
      uncheckedTotal.inc();
      this.warnUnavailable(err instanceof Error ? err.message : String(err));
      return null;
    }
  }

  onApplicationShutdown(): void {
    this.redis.disconnect();
  }

  private async consumeOne(p: LimitPolicy): Promise<LimitState> {
    const state = (res: RateLimiterRes, exceeded: boolean): LimitState => ({
      name: p.name,
      quota: p.quota,
      windowS: p.windowS,
      remaining: exceeded ? 0 : res.remainingPoints,
      resetS: Math.max(0, Math.ceil(res.msBeforeNext / 1000)),
      exceeded,
    });
    try {
      return state(await this.limiterFor(p.quota, p.windowS).consume(p.key), false);
    } catch (err) {
      // The library rejects with the counter's state when over the quota, with an Error when Redis failed.
      if (err instanceof RateLimiterRes) return state(err, true);
      throw err;
    }
  }

  /** A limiter per quota and window: the counter lives in Redis, the limiter only compares with its quota. */
  private limiterFor(quota: number, windowS: number): RateLimiterRedis {
    const id = `${quota}/${windowS}`;
    let limiter = this.limiters.get(id);
    if (!limiter) {
      limiter = new RateLimiterRedis({
        storeClient: this.redis,
        keyPrefix: RATE_LIMIT_KEY_PREFIX,
        points: quota,
        duration: windowS,
        rejectIfRedisNotReady: true,
        // Once a counter is used up, this process answers 429 until the window ends without asking Redis.
        inMemoryBlockOnConsumed: quota,
      });
      this.limiters.set(id, limiter);
    }
    return limiter;
  }

  private warnUnavailable(reason: string): void {
    const now = this.now();
    if (now - this.lastWarningAt < UNAVAILABLE_WARNING_INTERVAL_MS) return;
    this.lastWarningAt = now;
    this.log('warn', 'rate limiting unavailable (Redis): requests pass unchecked', { reason, uncheckedSinceLastWarning: this.unchecked });
    this.unchecked = 0;
  }
}
