import type { ConnectionOptions } from 'bullmq';

/**
 * BullMQ connection options from a `redis://host:port/db` URL, or `rediss://` for TLS (the server
 * name checked against the host, as ioredis does for a `rediss://` URL of its own).
 * `maxRetriesPerRequest: null` is what BullMQ workers require; the connect timeout bounds a dead
 * Redis to 5 s per try.
 */
export function redisConnection(url: string): ConnectionOptions {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    db: u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0,
    username: u.username || undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    maxRetriesPerRequest: null,
    connectTimeout: 5000,
    ...(u.protocol === 'rediss:' ? { tls: { servername: u.hostname } } : {}),
  };
}
