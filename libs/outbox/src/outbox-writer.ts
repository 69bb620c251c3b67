import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import type { Envelope } from '@gw/kafka';
import { traceparentOf } from '@gw/tracing';

/** An event to publish: `key` is the aggregate id (message id); `headers` carry trace/correlation context. */
export interface OutboxEvent {
  topic: string;
  key: string;
  type: string;
  payload: Record<string, unknown>;
  headers?: Record<string, string>;
}

/** An INSERT into the outbox for `events`, with its parameters numbered from `$firstParam`. */
export interface OutboxInsert {
  sql: string;
  params: unknown[];
  envelopes: Envelope[];
}

/**
 * Builds the outbox INSERT for `events` (fresh UUID event ids), so a caller can fold it into a
 * larger statement (e.g. a CTE that also writes the domain row: one round trip, one transaction).
 * With `onlyIfRowsIn` (the name of a CTE of that statement), the events are written only when
 * that CTE returned rows, e.g. when a guarded UPDATE matched. Each row carries the W3C
 * `traceparent` of the active span (null when untraced), under which the relay publishes it.
 */
export function outboxInsert(events: OutboxEvent[], firstParam = 1, onlyIfRowsIn?: string): OutboxInsert {
  const envelopes: Envelope[] = events.map((e) => ({
    event_id: randomUUID(),
    type: e.type,
    key: e.key,
    payload: e.payload,
    created_at: new Date().toISOString(),
    headers: e.headers ?? {},
  }));
  const traceparent = traceparentOf();
  const params: unknown[] = [];
  const rows = envelopes.map((env, i) => {
    const b = firstParam - 1 + i * 8;
    const row = [
      env.event_id,
      events[i].topic,
      env.key,
      env.type,
      JSON.stringify(env.payload),
      JSON.stringify(env.headers),
      env.created_at,
    ];
    params.push(...row, traceparent);
    return `($${b + 1}::uuid, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}::jsonb, $${b + 6}::jsonb, $${b + 7}::timestamptz, $${b + 8}::text)`;
  });
  const columns = 'INSERT INTO outbox (event_id, topic, key, type, payload, headers, created_at, traceparent)';
  const values = `VALUES ${rows.join(', ')}`;
  return {
    sql: onlyIfRowsIn ? `${columns} SELECT * FROM (${values}) AS v WHERE EXISTS (SELECT 1 FROM ${onlyIfRowsIn})` : `${columns} ${values}`,
    params,
    envelopes,
  };
}

/**
 * Appends events to the outbox inside the caller's transaction `tx`, so they exist exactly when
 * the domain change commits. Returns the envelopes (event ids are fresh UUIDs).
 */
export async function writeOutbox(tx: EntityManager, events: OutboxEvent[]): Promise<Envelope[]> {
  if (events.length === 0) return [];
  const insert = outboxInsert(events);
  await tx.query(insert.sql, insert.params);
  return insert.envelopes;
}
