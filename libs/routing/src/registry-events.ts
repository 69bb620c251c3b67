import type { Redis } from 'ioredis';
import { z } from 'zod';

/**
 * Redis Pub/Sub channel told of every committed write to the connector registry or the routes
 * (an empty message): connector processes reload them. Pub/Sub drops messages to a disconnected
 * subscriber, so a process that reconnects reloads too.
 */
export const REGISTRY_CHANNEL = 'gw:connectors:changed';

/** Announces a registry change on REGISTRY_CHANNEL; call it after the write commits. Rejects as the client's publish does. */
export async function publishRegistryChange(redis: Pick<Redis, 'publish'>): Promise<void> {
  await redis.publish(REGISTRY_CHANNEL, '');
}

/** States of one replica's circuit breaker; `forced-*` while the operator's override holds it. */
export const BREAKER_STATES = ['closed', 'open', 'half-open', 'forced-open', 'forced-closed'] as const;
export type BreakerState = (typeof BREAKER_STATES)[number];

/** `gw:breaker:<connectorId>`: a hash whose fields are replica ids and whose values are BreakerRecord JSON. */
export function breakerKey(connectorId: string): string {
  return `gw:breaker:${connectorId}`;
}

/** One hash value as the connector processes write it: `{"state","since" (ISO 8601),"failures"}`. */
const BreakerRecord = z.object({
  state: z.enum(BREAKER_STATES),
  since: z.iso.datetime({ offset: true }),
  failures: z.number().int().min(0),
});
export type BreakerRecord = z.infer<typeof BreakerRecord>;

/** One replica's circuit breaker as it last reported it: `since` when it entered `state`, `failures` consecutive failures counted. */
export interface ReplicaBreakerState extends BreakerRecord {
  replica: string;
}

/**
 * Every replica's breaker state of `connectorId`, by replica id. A value that is not a
 * BreakerRecord (a replica of another version) is left out rather than guessed at.
 * Rejects as the client's HGETALL does (bound it with the client's command timeout).
 */
export async function readBreakerStates(redis: Pick<Redis, 'hgetall'>, connectorId: string): Promise<ReplicaBreakerState[]> {
  const hash = await redis.hgetall(breakerKey(connectorId));
  const out: ReplicaBreakerState[] = [];
  for (const [replica, value] of Object.entries(hash)) {
    let json: unknown;
    try {
      json = JSON.parse(value);
    } catch {
      continue;
    }
    const parsed = BreakerRecord.safeParse(json);
    if (parsed.success) out.push({ replica, ...parsed.data });
  }
  return out.sort((a, b) => (a.replica < b.replica ? -1 : a.replica > b.replica ? 1 : 0));
}
