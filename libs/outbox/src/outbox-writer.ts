import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import type { Envelope } from '@gw/kafka';

/** An event to publish: `key` is the aggregate id (message id); `headers` carry trace/correlation context. */
export interface OutboxEvent {
  topic: string;
  key: string;
  type: string;
  payload: Record<string, unknown>;
  headers?: Record<string, string>;
}

/**
 * Appends events to the outbox inside the caller's transaction `tx`, so they exist exactly when
 * the domain change commits. Returns the envelopes (event ids are fresh UUIDs).
 */
export async function writeOutbox(tx: EntityManager, events: OutboxEvent[]): Promise<Envelope[]> {
  if (events.length === 0) return [];
  const envelopes: Envelope[] = events.map((e) => ({
    event_id: randomUUID(),
    type: e.type,
    key: e.key,
    payload: e.payload,
    created_at: new Date().toISOString(),
    headers: e.headers ?? {},
  }));
  const values: unknown[] = [];
  const rows = envelopes.map((env, i) => {
    const b = i * 7;
    values.push(env.event_id, events[i].topic, env.key, env.type, JSON.stringify(env.payload), JSON.stringify(env.headers), env.created_at);
    return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}::jsonb, $${b + 6}::jsonb, $${b + 7}::timestamptz)`;
  });
  await tx.query(`INSERT INTO outbox (event_id, topic, key, type, payload, headers, created_at) VALUES ${rows.join(', ')}`, values);
  return envelopes;
}
