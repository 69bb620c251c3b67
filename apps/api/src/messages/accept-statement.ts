import { randomUUID } from 'node:crypto';
import { MessageEntity, newId } from '@gw/database';
import { correlationHeaders, EventTypes, Topics } from '@gw/kafka';
import { traceparentOf } from '@gw/tracing';

/** What a new MT message is made of: the request's fields after encoding and segment counting. */
export type OutboundFields = Pick<MessageEntity, 'projectId' | 'to' | 'from' | 'body' | 'encoding' | 'segments'> &
  Partial<Pick<MessageEntity, 'statusCallback' | 'validityPeriod'>>;

/**
 * A new MT message: fresh `msg_` id, status `queued`, created now, nothing from a carrier yet; its
 * `traceparent` is the active request's (the message's trace), null when untraced.
 */
export function newOutboundMessage(f: OutboundFields): MessageEntity {
  const now = new Date();
  return {
    id: newId('msg'),
    direction: 'outbound',
    status: 'queued',
    ...f,
    statusCallback: f.statusCallback ?? null,
    validityPeriod: f.validityPeriod ?? null,
    provider: null,
    connectorId: null,
    providerMessageId: null,
    errorCode: null,
    errorMessage: null,
    keywordAction: null,
    systemReply: false,
    traceparent: traceparentOf(),
    createdAt: now,
    updatedAt: now,
  };
}

/** A new MT message and the correlation id its outbox event carries in its headers. */
export interface AcceptedMessage {
  message: MessageEntity;
  correlationId?: string;
}

const SQL = `WITH input AS (
    SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[], $8::text[],
                         $9::int[], $10::timestamptz[], $11::uuid[], $12::uuid[], $13::jsonb[], $14::jsonb[], $17::text[])
      AS t(id, project_id, to_number, from_number, body, encoding, segments, status_callback, validity_period,
           created_at, timeline_id, event_id, payload, headers, traceparent)
  ), m AS (
    INSERT INTO messages (id, project_id, direction, to_number, from_number, body, encoding, segments, status,
                          status_callback, validity_period, created_at, updated_at, traceparent)
    SELECT id, project_id, 'outbound', to_number, from_number, body, encoding, segments, 'queued',
           status_callback, validity_period, created_at, created_at, traceparent FROM input
  ), e AS (
    INSERT INTO message_status_events (id, message_id, from_status, status, source, description, occurred_at)
    SELECT timeline_id, id, NULL, 'queued', 'api', 'accepted', created_at FROM input
  )
  INSERT INTO outbox (event_id, topic, key, type, payload, headers, created_at, traceparent)
  SELECT event_id, $15, id, $16, payload, headers, created_at, traceparent FROM input`;

/**
 * One statement (one round trip and, on its own, one transaction) that writes each message with
 * status `queued`, its first timeline row and its `message.requested` outbox event (topic
 * sms.outbound.v1, key = message id), both with the message's `traceparent`. The SQL text is the same for any number of messages: the
 * rows travel as arrays expanded by `unnest`, so a batch of 1 and a batch of 200 share one plan.
 */
export function acceptStatement(batch: readonly AcceptedMessage[]): [string, unknown[]] {
  const cols: unknown[][] = Array.from({ length: 15 }, () => []);
  for (const { message: m, correlationId } of batch) {
    const row = [
      m.id,
      m.projectId,
      m.to,
      m.from,
      m.body,
      m.encoding,
      m.segments,
      m.statusCallback,
      m.validityPeriod,
      m.createdAt.toISOString(),
      randomUUID(),
      randomUUID(),
      JSON.stringify({ message_id: m.id, project_id: m.projectId }),
      JSON.stringify(correlationHeaders(correlationId)),
      m.traceparent ?? null,
    ];
    row.forEach((v, i) => cols[i].push(v));
  }
  return [SQL, [...cols.slice(0, 14), Topics.SmsOutbound, EventTypes.MessageRequested, cols[14]]];
}
