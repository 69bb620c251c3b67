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

/**
 * Heartbeats a replica may miss before its breaker record is stale: its process is taken for dead
 * (killed, or cut off from Redis) and the record is dropped. More than one, so a late write or a
 * little clock skew between hosts does not drop a live replica.
 */
export const BREAKER_STALE_HEARTBEATS = 3;

/** `gw:breaker:<connectorId>`: a hash whose fields are replica ids and whose values are BreakerRecord JSON. */
export function breakerKey(connectorId: string): string {
  return `gw:breaker:${connectorId}`;
}

/** The heartbeat of a record: when the replica wrote it (epoch ms, its own clock) and how often it rewrites it (ms). */
const Heartbeat = z.object({
  reported_at: z.number().int().min(0),
  heartbeat_ms: z.number().int().min(1),
});

/**
 * One hash value as the connector processes write it:
 * `{"state","since" (ISO 8601),"failures","reported_at" (epoch ms),"heartbeat_ms"}`, rewritten on
 * every change and at least every `heartbeat_ms` while the replica runs.
 */
const BreakerRecord = Heartbeat.extend({
  state: z.enum(BREAKER_STATES),
  since: z.iso.datetime({ offset: true }),
  failures: z.number().int().min(0),
});
export type BreakerRecord = z.infer<typeof BreakerRecord>;

/** One replica's circuit breaker as it last reported it: `since` when it entered `state`, `failures` consecutive failures counted. */
export interface ReplicaBreakerState extends Pick<BreakerRecord, 'state' | 'since' | 'failures'> {
  replica: string;
}

/** `value` parsed as JSON, or undefined when it is not JSON. */
function parsed(value: string): unknown {
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return undefined;
  }
}

/** Whether a parsed hash value is stale at `nowMs` (see breakerRecordStale). */
function staleAt(json: unknown, nowMs: number): boolean {
  const beat = Heartbeat.safeParse(json);
  return !beat.success || nowMs - beat.data.reported_at > BREAKER_STALE_HEARTBEATS * beat.data.heartbeat_ms;
}

/**
 * Whether a hash value is stale at `nowMs` (epoch ms): its `reported_at` is more than
 * BREAKER_STALE_HEARTBEATS of its `heartbeat_ms` old, or it carries no heartbeat (not JSON, or
 * written by a version before heartbeats, which never rewrites it).
 */
export function breakerRecordStale(value: string, nowMs: number): boolean {
  return staleAt(parsed(value), nowMs);
}

/**
 * Splits a breaker hash (field: replica id, value: BreakerRecord JSON) at `nowMs` (epoch ms): the
 * fresh records by replica id, and the fields that are stale (breakerRecordStale). A fresh value
 * that is not a BreakerRecord (a replica of a newer version) is left out rather than guessed at,
 * and not stale: its replica still runs.
 */
export function partitionBreakerStates(hash: Record<string, string>, nowMs: number): { replicas: ReplicaBreakerState[]; stale: string[] } {
  const replicas: ReplicaBreakerState[] = [];
  const stale: string[] = [];
  for (const [replica, value] of Object.entries(hash)) {
    const json = parsed(value);
    if (staleAt(json, nowMs)) {
      stale.push(replica);
      continue;
    }
    const record = BreakerRecord.safeParse(json);
    if (record.success) replicas.push({ replica, state: record.data.state, since: record.data.since, failures: record.data.failures });
  }
  replicas.sort((a, b) => (a.replica < b.replica ? -1 : a.replica > b.replica ? 1 : 0));
  return { replicas, stale };
}

/**
 * Deletes each field given with its value (ARGV: field, value, field, value...) only while it
 * still holds that value: a replica that wrote a fresh record since the read keeps it.
 */
const DELETE_UNCHANGED = `
for i = 1, #ARGV, 2 do
  if redis.call('HGET', KEYS[1], ARGV[i]) == ARGV[i + 1] then redis.call('HDEL', KEYS[1], ARGV[i]) end
end
return 0`;

/**
 * Every live replica's breaker state of `connectorId`, by replica id, as of `nowMs` (epoch ms):
 * stale records (partitionBreakerStates) are left out and deleted from the hash, so replicas that
 * died without removing their field (SIGKILL, lost host) do not pile up. The deletion is best
 * effort: if it fails, the next read deletes them. Rejects as the client's HGETALL does (bound it
 * with the client's command timeout).
 */
export async function readBreakerStates(
  redis: Pick<Redis, 'hgetall' | 'eval'>,
  connectorId: string,
  nowMs: number = Date.now(),
): Promise<ReplicaBreakerState[]> {
  const key = breakerKey(connectorId);
  const hash = await redis.hgetall(key);
  const { replicas, stale } = partitionBreakerStates(hash, nowMs);
  if (stale.length) {
    await redis.eval(DELETE_UNCHANGED, 1, key, ...stale.flatMap((field) => [field, hash[field]!])).catch(() => undefined);
  }
  return replicas;
}
