import { EntityManager } from 'typeorm';
import type { UsageMetric } from '@gw/database';
import { ConsumerGroups, EventTypes, type Envelope, type IdempotentConsumerOptions } from '@gw/kafka';
import type { CallEventPayload } from '@gw/calls';
import type { MessageEventPayload } from '@gw/sms';

/** Outbound statuses that mean the SMSC took the message, so its segments count. */
const BILLABLE = new Set(['sent', 'delivered', 'undelivered']);

/**
 * Which metric an event counts toward, if any: MT segments once the SMSC took them, MO segments on
 * receipt, call minutes when an answered call completes.
 */
export function usageMetricOf(event: Envelope): UsageMetric | null {
  const p = event.payload as Partial<MessageEventPayload>;
  if (event.type === EventTypes.MessageReceived) return 'sms_inbound_segments';
  if (event.type === EventTypes.CallStatusChanged) {
    const call = event.payload as Partial<CallEventPayload>;
    return call.status === 'completed' && (call.duration_s ?? 0) > 0 ? 'call_minutes' : null;
  }
  if (event.type === EventTypes.MessageStatusChanged && p.direction === 'outbound' && BILLABLE.has(String(p.status))) {
    return 'sms_outbound_segments';
  }
  return null;
}

/** Units an event adds: segments of a message, or started minutes (ceil of s / 60) of a call. */
export function usageQuantityOf(event: Envelope, metric: UsageMetric): number {
  if (metric === 'call_minutes') return Math.ceil(Number((event.payload as Partial<CallEventPayload>).duration_s ?? 0) / 60);
  return Number((event.payload as Partial<MessageEventPayload>).segments ?? 0);
}

/**
 * Counts a message's segments (or a call's minutes) once per metric, on the UTC day of the event,
 * in one statement: the ledger row (metric, message or call id) is inserted first and the daily
 * counter only grows when that insert did, so `sent` then `delivered` (or any redelivery) still
 * counts the message once. The ledger is the deduplication, so no transaction or processed_events
 * row is needed. `db` is any EntityManager (the data source's, or a transaction's).
 * Returns whether the event was counted (false: no metric, or already counted).
 */
export async function recordUsage(db: EntityManager, event: Envelope): Promise<boolean> {
  const metric = usageMetricOf(event);
  if (!metric) return false;
  const p = event.payload as MessageEventPayload;
  const day = (p.occurred_at ?? event.created_at).slice(0, 10);
  const counted: unknown[] = await db.query(
    `WITH ledger AS (
       INSERT INTO usage_ledger (metric, source_id, project_id, day, quantity) VALUES ($1, $2, $3, $4::date, $5)
       ON CONFLICT DO NOTHING RETURNING project_id, day, metric, quantity)
     INSERT INTO usage_daily (project_id, day, metric, quantity) SELECT project_id, day, metric, quantity FROM ledger
     ON CONFLICT (project_id, day, metric) DO UPDATE SET quantity = usage_daily.quantity + EXCLUDED.quantity
     RETURNING 1`,
    [metric, p.id, p.project_id, day, usageQuantityOf(event, metric)],
  );
  return counted.length > 0;
}

/**
 * The `usage` consumer group on sms and call events: events that count toward no metric are
 * skipped without touching Postgres; the rest go through recordUsage, whose ledger row dedupes.
 */
export function usageConsumerOptions(log: IdempotentConsumerOptions['log']): IdempotentConsumerOptions {
  return {
    group: ConsumerGroups.Usage.group,
    topics: [...ConsumerGroups.Usage.topics],
    log,
    accepts: (event) => usageMetricOf(event) !== null,
    dedupe: 'handler',
    handler: async (event, db) => void (await recordUsage(db, event)),
  };
}
