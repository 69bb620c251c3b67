/**
 * Kafka topics. Keys are aggregate ids (message id), so events of one message stay ordered
 * within a partition.
 */
export const Topics = {
  /** `message.requested`: an MT message accepted by the api, to submit to the SMS gateway. */
  SmsOutbound: 'sms.outbound.v1',
  /** `message.status_changed` and `message.received`: every applied status transition and every MO. */
  SmsEvents: 'sms.events.v1',
  /** `call.requested` and `call.hangup_requested`, keyed by call id: work for the call orchestrator. */
  CallCommands: 'calls.commands.v1',
  /** `call.status_changed` and `call.recording_stored`: every call transition and recording. */
  CallEvents: 'calls.events.v1',
} as const;
export type Topic = (typeof Topics)[keyof typeof Topics];

/**
 * Every consumer group of the gateway and the topics it consumes: the one place their names are
 * written, for the consumers themselves, the lag metrics and the operator's replay of a group.
 */
export const ConsumerGroups = {
  /** sms-connector: MT messages to submit. */
  SmsConnector: { group: 'sms-connector', topics: [Topics.SmsOutbound] },
  /** call-orchestrator: calls to place and hang up. */
  CallOrchestrator: { group: 'call-orchestrator', topics: [Topics.CallCommands] },
  /** workers: signed callbacks to the projects' receivers. */
  Callbacks: { group: 'callback-dispatch', topics: [Topics.SmsEvents, Topics.CallEvents] },
  /** workers: usage per project per day. */
  Usage: { group: 'usage', topics: [Topics.SmsEvents, Topics.CallEvents] },
} as const satisfies Record<string, { group: string; topics: readonly Topic[] }>;

/** Event types carried in envelopes. */
export const EventTypes = {
  MessageRequested: 'message.requested',
  MessageStatusChanged: 'message.status_changed',
  MessageReceived: 'message.received',
  CallRequested: 'call.requested',
  CallHangupRequested: 'call.hangup_requested',
  CallStatusChanged: 'call.status_changed',
  CallRecordingStored: 'call.recording_stored',
} as const;

/**
 * The outbox envelope as it travels on Kafka (JSON value; `event_id` also in the `event-id` header).
 * `event_id` (UUID) is the consumers' idempotency key; `key` the aggregate id; `created_at` ISO-8601.
 */
export interface Envelope<P = Record<string, unknown>> {
  event_id: string;
  type: string;
  key: string;
  payload: P;
  created_at: string;
  headers: Record<string, string>;
}

/** Envelope header carrying the correlation id of the request that caused an event. */
export const CORRELATION_ID_HEADER = 'correlation-id';

/** Envelope headers of an event caused by a request with `correlationId`; none when it has no id. */
export function correlationHeaders(correlationId?: string): Record<string, string> {
  return correlationId ? { [CORRELATION_ID_HEADER]: correlationId } : {};
}

/** Thrown by `decodeEnvelope` for a record that is not a well-formed envelope. */
export class EnvelopeDecodeError extends Error {}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Parses a Kafka record value into an Envelope.
 * @throws EnvelopeDecodeError when the value is not JSON or lacks event_id/type/key/payload.
 */
export function decodeEnvelope(value: Buffer | null): Envelope {
  if (!value) throw new EnvelopeDecodeError('empty record value');
  let parsed: unknown;
  try {
    parsed = JSON.parse(value.toString('utf8'));
  } catch {
    throw new EnvelopeDecodeError('record value is not JSON');
  }
  const e = parsed as Partial<Envelope>;
  if (typeof e !== 'object' || e === null) throw new EnvelopeDecodeError('record value is not an object');
  if (typeof e.event_id !== 'string' || !UUID.test(e.event_id)) throw new EnvelopeDecodeError('event_id missing or not a UUID');
  if (typeof e.type !== 'string' || typeof e.key !== 'string') throw new EnvelopeDecodeError('type or key missing');
  if (typeof e.payload !== 'object' || e.payload === null) throw new EnvelopeDecodeError('payload missing');
  return {
    event_id: e.event_id,
    type: e.type,
    key: e.key,
    payload: e.payload as Record<string, unknown>,
    created_at: typeof e.created_at === 'string' ? e.created_at : new Date(0).toISOString(),
    headers: typeof e.headers === 'object' && e.headers !== null ? e.headers : {},
  };
}

/** Serializes an envelope as a Kafka record: JSON value, aggregate key, event id/type and trace headers. */
export function encodeEnvelope(e: Envelope): { key: string; value: string; headers: Record<string, string> } {
  return {
    key: e.key,
    value: JSON.stringify(e),
    headers: { ...e.headers, 'event-id': e.event_id, 'event-type': e.type },
  };
}
