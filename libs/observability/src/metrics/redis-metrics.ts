import { Gauge } from 'prom-client';
import { METRICS } from './registry';

/** What the gauge reads of an ioredis client: its connection status (`ready` once it can take commands). */
interface RedisStatus {
  status: string;
}

const clients = new Map<string, RedisStatus>();

new Gauge({
  name: 'gw_redis_connected',
  help: 'Whether an ioredis client of this process is connected and ready (1) or not (0)',
  labelNames: ['client'] as const,
  // Across the processes of a clustered app: 1 only when every process's client is ready.
  aggregator: 'min',
  registers: [METRICS],
  collect() {
    for (const [client, redis] of clients) this.set({ client }, redis.status === 'ready' ? 1 : 0);
  },
});

/**
 * Reports an ioredis client as `gw_redis_connected{client}` (read at each scrape); `client` names
 * its use (`rate_limit`, `bullmq_callbacks`, ...). Returns the client, so it can wrap a constructor.
 */
export function watchRedis<T extends RedisStatus>(client: string, redis: T): T {
  clients.set(client, redis);
  return redis;
}
