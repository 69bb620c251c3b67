import { Counter, Histogram } from 'prom-client';
import { request, type Dispatcher } from 'undici';
import { DataSource, EntityManager } from 'typeorm';
import { activeWebhookSecrets, ProjectEntity } from '@gw/database';
import { ConsumerGroups, EventTypes, markProcessed, type Envelope } from '@gw/kafka';
import { METRICS } from '@gw/observability';
import { PermanentError, RetryableError } from '@gw/queues';
import { OutboundAddressRefusedError, signWebhook, type WebhookSecret } from '@gw/security';

/** A callback to deliver: the Standard Webhooks id is the event id, so receivers can dedupe. */
export interface CallbackJob {
  event_id: string;
  project_id: string;
  url: string;
  payload: { type: string; timestamp: string; data: Record<string, unknown> };
}

/** Callback `type` for each event type (the receiver branches on it). */
const CALLBACK_TYPES: Record<string, string> = {
  [EventTypes.MessageStatusChanged]: 'message.status',
  [EventTypes.MessageReceived]: 'message.inbound',
  [EventTypes.CallStatusChanged]: 'call.status',
  [EventTypes.CallRecordingStored]: 'call.recording',
};

/** Consumer group of callback dispatch, also its consumer name in processed_events. */
export const CALLBACK_GROUP = ConsumerGroups.Callbacks.group;
/** Topics callback dispatch consumes. */
export const CALLBACK_TOPICS = [...ConsumerGroups.Callbacks.topics];

/**
 * What became of one callback attempt: `delivered` (2xx), `retried` (failed, attempts left),
 * `dead_lettered` (the last attempt failed), `given_up` (a permanent failure: the receiver answered
 * 410, its address is refused, or the project is gone; no retry and no dead letter).
 */
export type CallbackOutcome = 'delivered' | 'retried' | 'dead_lettered' | 'given_up';

const callbacks = new Counter({
  name: 'gw_callbacks_total',
  help: 'Callback attempts to project receivers by outcome',
  labelNames: ['outcome'] as const,
  registers: [METRICS],
});
// Every outcome is exported from the start, so that rates over it exist before the first of each.
for (const outcome of ['delivered', 'retried', 'dead_lettered', 'given_up'] as const) callbacks.inc({ outcome }, 0);
const callbackSeconds = new Histogram({
  name: 'gw_callback_duration_seconds',
  help: "Duration of one callback attempt to a project's receiver (s), by outcome",
  labelNames: ['outcome'] as const,
  buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers: [METRICS],
});

/** Whether an event type has a callback at all (other events are skipped before Postgres). */
export function hasCallback(event: Envelope): boolean {
  return event.type in CALLBACK_TYPES;
}

/**
 * The callback job for a message or call event, or null when this group already dispatched the
 * event (processed_events) or there is nowhere to send it: the event's `status_callback`, else for
 * an MO (`message.received`) the `sms_callback_url` of the receiving number while the project
 * still owns it (read at dispatch, so a change applies to MOs not yet called back), else the
 * project's default URL. One round trip answers all. Payload follows Standard Webhooks'
 * `{type, timestamp, data}` shape.
 */
export async function pendingCallbackJob(db: EntityManager, event: Envelope): Promise<CallbackJob | null> {
  const type = CALLBACK_TYPES[event.type];
  if (!type) return null;
  const data = { ...event.payload };
  const projectId = String(data.project_id);
  const moTo = event.type === EventTypes.MessageReceived && typeof data.to === 'string' ? data.to : null;
  const [row]: Array<{ seen: boolean; url: string | null; number_url: string | null }> = await db.query(
    `SELECT EXISTS (SELECT 1 FROM processed_events WHERE consumer = $1 AND event_id = $2) AS seen,
            (SELECT default_callback_url FROM projects WHERE id = $3) AS url,
            (SELECT sms_callback_url FROM phone_numbers WHERE e164 = $4 AND project_id = $3) AS number_url`,
    [CALLBACK_GROUP, event.event_id, projectId, moTo],
  );
  if (row.seen) return null;
  const url = typeof data.status_callback === 'string' && data.status_callback ? data.status_callback : (row.number_url ?? row.url);
  if (!url) return null;
  delete data.project_id;
  delete data.status_callback;
  return { event_id: event.event_id, project_id: projectId, url, payload: { type, timestamp: event.created_at, data } };
}

/**
 * Records that an event's callback job was enqueued. It runs after the enqueue, so a crash in
 * between leads to the same job being added again under the same job id (the event id), which
 * BullMQ ignores; in the other order a crash would lose the callback.
 */
export async function markDispatched(db: EntityManager, eventId: string): Promise<void> {
  await markProcessed(db, CALLBACK_GROUP, eventId);
}

/**
 * POSTs one signed callback (Standard Webhooks headers over the exact bytes sent, one `v1,`
 * signature per active secret: two during a secret rotation's overlap). 2xx is done;
 * 410 Gone is permanent (the receiver asked us to stop); anything else, timeouts and network
 * errors are retryable. `timeoutMs` bounds the whole request. It goes through `dispatcher`
 * (outboundDispatcher: public addresses only, redirects not followed); a refused address is
 * permanent (`address_refused`), as every retry would meet the same addresses.
 */
export async function deliverCallback(ds: DataSource, job: CallbackJob, timeoutMs: number, dispatcher: Dispatcher): Promise<number> {
  const project = await ds.getRepository(ProjectEntity).findOneBy({ id: job.project_id });
  if (!project) throw new PermanentError('project no longer exists', 'project_gone');
  const body = JSON.stringify(job.payload);
  const headers = signWebhook(activeWebhookSecrets(project) as WebhookSecret[], job.event_id, Math.floor(Date.now() / 1000), body);
  let status: number;
  try {
    const res = await request(job.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'telecom-gateway-webhooks/1', ...headers },
      body,
      signal: AbortSignal.timeout(timeoutMs),
      dispatcher,
    });
    status = res.statusCode;
    await res.body.dump();
  } catch (err) {
    if (err instanceof OutboundAddressRefusedError) throw new PermanentError(err.message, 'address_refused');
    throw new RetryableError(`callback request failed: ${(err as { code?: string }).code ?? (err as Error).name}`);
  }
  if (status >= 200 && status < 300) return status;
  if (status === 410) throw new PermanentError(`receiver answered ${status}`, 'receiver_gone');
  throw new RetryableError(`receiver answered ${status}`);
}

/**
 * deliverCallback as attempt `attempt` (1-based) of `attempts`, counted in
 * `gw_callbacks_total{outcome}` and timed in `gw_callback_duration_seconds{outcome}`: `delivered`;
 * `retried` when it failed with attempts left; `dead_lettered` when the last one failed
 * (createRetryingWorker then dead-letters the job); `given_up` for a PermanentError (410, refused
 * address, project gone), which is neither retried nor dead-lettered.
 * @returns the receiver's status. @throws what deliverCallback throws
 */
export async function attemptCallback(
  ds: DataSource,
  job: CallbackJob,
  attempt: { attempt: number; attempts: number },
  timeoutMs: number,
  dispatcher: Dispatcher,
): Promise<number> {
  const started = performance.now();
  const record = (outcome: CallbackOutcome): void => {
    callbacks.inc({ outcome });
    callbackSeconds.observe({ outcome }, (performance.now() - started) / 1000);
  };
  try {
    const status = await deliverCallback(ds, job, timeoutMs, dispatcher);
    record('delivered');
    return status;
  } catch (err) {
    record(err instanceof PermanentError ? 'given_up' : attempt.attempt >= attempt.attempts ? 'dead_lettered' : 'retried');
    throw err;
  }
}
