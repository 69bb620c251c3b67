import { Logger, OnApplicationShutdown } from '@nestjs/common';
import IORedis, { Redis } from 'ioredis';
import { LogFn, nestLogFn } from '@gw/observability';
import { ApiKeyCache } from './api-key-cache';

/** Redis Pub/Sub channel carrying the prefix of every key revoked or whose expiry moved. */
export const KEY_CHANGES_CHANNEL = 'gw:api-keys:changed';

/**
 * Makes a revocation take effect at once on every api process: the process that revoked a key
 * publishes its prefix on KEY_CHANGES_CHANNEL and each process (itself included) drops it from
 * its ApiKeyCache, so the next request with it reads the revoked row. Pub/Sub delivers nothing
 * to a subscriber that is disconnected, so after every reconnection the whole cache is dropped;
 * with Redis unreachable throughout, API_KEY_CACHE_TTL_MS bounds how long another process may
 * still accept the key. Publishing waits at most 1 s.
 */
export class KeyRevocations implements OnApplicationShutdown {
  private readonly pub: Redis;
  private readonly sub: Redis;

  constructor(
    private readonly cache: ApiKeyCache,
    redisUrl: string,
    private readonly log: LogFn = nestLogFn(new Logger(KeyRevocations.name)),
  ) {
    this.pub = new IORedis(redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 0, commandTimeout: 1000, connectTimeout: 1000 });
    this.sub = new IORedis(redisUrl, { connectTimeout: 1000, maxRetriesPerRequest: null });
    for (const client of [this.pub, this.sub]) client.on('error', () => undefined); // reported through `ready`/publish failures
    let connectedBefore = false;
    this.sub.on('ready', () => {
      if (connectedBefore) this.cache.clear();
      connectedBefore = true;
    });
    this.sub.on('message', (_channel: string, prefix: string) => this.cache.forget(prefix));
    this.sub
      .subscribe(KEY_CHANGES_CHANNEL)
      .catch((err: unknown) => this.log('warn', 'key change subscription failed', { reason: String(err) }));
  }

  /** Drops the key here and tells every other api process to; a failed publish is logged, never thrown. */
  async announce(prefix: string): Promise<void> {
    this.cache.forget(prefix);
    await this.pub.publish(KEY_CHANGES_CHANNEL, prefix).catch((err: unknown) => {
      this.log('warn', 'key change broadcast failed; other api processes notice within the key cache time', { reason: String(err) });
    });
  }

  onApplicationShutdown(): void {
    this.pub.disconnect();
    this.sub.disconnect();
  }
}
