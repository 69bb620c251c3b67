import { Logger, OnApplicationShutdown } from '@nestjs/common';
import IORedis, { Redis } from 'ioredis';
import { LogFn, nestLogFn } from '@gw/observability';
import { publishRegistryChange, readBreakerStates, type ReplicaBreakerState } from '@gw/routing';

/** Longest wait for one Redis command (connecting included), ms: an admin answer never hangs on Redis. */
const REDIS_TIMEOUT_MS = 1000;

/**
 * The api's side of the connector processes' Redis: tells them of registry and route changes
 * (REGISTRY_CHANNEL, after each commit) and reads the circuit breaker states they report.
 * Redis failing never fails the request: a lost announcement is logged (the change is committed;
 * connector processes see it when they next reload), unreadable breaker states read as null.
 */
export class ConnectorRegistryEvents implements OnApplicationShutdown {
  private readonly redis: Redis;

  constructor(
    redisUrl: string,
    private readonly log: LogFn = nestLogFn(new Logger(ConnectorRegistryEvents.name)),
  ) {
    this.redis = new IORedis(redisUrl, { connectTimeout: REDIS_TIMEOUT_MS, commandTimeout: REDIS_TIMEOUT_MS, maxRetriesPerRequest: 1 });
    this.redis.on('error', () => undefined); // reported by the commands that fail
  }

  /** Announces a committed registry change; a failure is logged, never thrown. */
  async announce(): Promise<void> {
    await publishRegistryChange(this.redis).catch((err: unknown) => {
      this.log('warn', 'connector registry change announcement failed; connector processes see the change when they next reload', {
        reason: String(err),
      });
    });
  }

  /** Each replica's breaker state of the connector, or null when Redis cannot be read (logged). */
  async breakerStates(connectorId: string): Promise<ReplicaBreakerState[] | null> {
    try {
      return await readBreakerStates(this.redis, connectorId);
    } catch (err) {
      this.log('warn', 'circuit breaker states unreadable', { connector_id: connectorId, reason: String(err) });
      return null;
    }
  }

  onApplicationShutdown(): void {
    this.redis.disconnect();
  }
}
