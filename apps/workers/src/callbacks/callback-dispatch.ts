import { request } from 'undici';
import { DataSource, EntityManager } from 'typeorm';
import { ProjectEntity } from '@gw/database';
import { EventTypes, type Envelope } from '@gw/kafka';
import { PermanentError, RetryableError } from '@gw/queues';
import { signWebhook, type WebhookSecret } from '@gw/security';

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

/**
 * Turns a message or call event into a callback job: the message's `status_callback`, else the project's
 * default URL; null when there is nowhere to send it. Payload follows Standard Webhooks'
 * `{type, timestamp, data}` shape.
 */
export async function callbackJobFor(tx: EntityManager, event: Envelope): Promise<CallbackJob | null> {
  const type = CALLBACK_TYPES[event.type];
  if (!type) return null;
  const data = { ...event.payload };
  const projectId = String(data.project_id);
  let url = typeof data.status_callback === 'string' && data.status_callback ? data.status_callback : null;
  if (!url) {
    const project = await tx.findOneBy(ProjectEntity, { id: projectId });
    url = project?.defaultCallbackUrl ?? null;
  }
  if (!url) return null;
  delete data.project_id;
  delete data.status_callback;
  return { event_id: event.event_id, project_id: projectId, url, payload: { type, timestamp: event.created_at, data } };
}

/**
 * POSTs one signed callback (Standard Webhooks headers over the exact bytes sent). 2xx is done;
 * 410 Gone is permanent (the receiver asked us to stop); anything else, timeouts and network
 * errors are retryable. `timeoutMs` bounds the whole request.
 */
export async function deliverCallback(ds: DataSource, job: CallbackJob, timeoutMs: number): Promise<number> {
  const project = await ds.getRepository(ProjectEntity).findOneBy({ id: job.project_id });
  if (!project) throw new PermanentError('project no longer exists', 'project_gone');
  const body = JSON.stringify(job.payload);
  const headers = signWebhook(project.webhookSecret as WebhookSecret, job.event_id, Math.floor(Date.now() / 1000), body);
  let status: number;
  try {
    const res = await request(job.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'telecom-gateway-webhooks/1', ...headers },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    status = res.statusCode;
    await res.body.dump();
  } catch (err) {
    throw new RetryableError(`callback request failed: ${(err as { code?: string }).code ?? (err as Error).name}`);
  }
  if (status >= 200 && status < 300) return status;
  if (status === 410) throw new PermanentError(`receiver answered ${status}`, 'receiver_gone');
  throw new RetryableError(`receiver answered ${status}`);
}
