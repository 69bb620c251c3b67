import { EntityManager } from 'typeorm';
import type { UsageMetric } from '@gw/database';
import { EventTypes, type Envelope } from '@gw/kafka';
import type { MessageEventPayload } from '@gw/sms';

/** Outbound statuses that mean the SMSC took the message, so its segments count. */
const BILLABLE = new Set(['sent', 'delivered', 'undelivered']);

/** Which metric an event counts toward, if any: MT segments once the SMSC took them, MO segments on receipt. */
export function usageMetricOf(event: Envelope): UsageMetric | null {
  const p = event.payload as Partial<MessageEventPayload>;
  if (event.type === EventTypes.MessageReceived) return 'sms_inbound_segments';
  if (event.type === EventTypes.MessageStatusChanged && p.direction === 'outbound' && BILLABLE.has(String(p.status))) {
    return 'sms_outbound_segments';
  }
  return null;
}

/**
 * Counts a message's segments once per metric, on the UTC day of the event: the ledger row
 * (metric, message id) is inserted first and the daily counter only grows when that insert did,
 * so `sent` then `delivered` (or any redelivery) still counts the message once.
 */
export async function recordUsage(tx: EntityManager, event: Envelope): Promise<boolean> {
  const metric = usageMetricOf(event);
  if (!metric) return false;
  const p = event.payload as MessageEventPayload;
  const day = (p.occurred_at ?? event.created_at).slice(0, 10);
  const inserted: unknown[] = await tx.query(
    `INSERT INTO usage_ledger (metric, source_id, project_id, day, quantity) VALUES ($1, $2, $3, $4::date, $5)
     ON CONFLICT DO NOTHING RETURNING 1`,
    [metric, p.id, p.project_id, day, p.segments],
  );
  if (inserted.length === 0) return false;
  await tx.query(
    `INSERT INTO usage_daily (project_id, day, metric, quantity) VALUES ($1, $2::date, $3, $4)
     ON CONFLICT (project_id, day, metric) DO UPDATE SET quantity = usage_daily.quantity + EXCLUDED.quantity`,
    [p.project_id, day, metric, p.segments],
  );
  return true;
}
