import { DataSource } from 'typeorm';
import { dlrCallbackUrl, NotSubmittedError } from '@gw/connectors';
import type { SubmitResult } from '@gw/connectors';
import type { MessageEntity, SubmissionOutcome } from '@gw/database';
import { GiveUpKind, PermanentError, RetryableError } from '@gw/queues';
import { isTerminal, readMessage, recordStatus, SubmissionRepository } from '@gw/sms';
import type { LiveConnector } from './routing/connector-runtime';
import { SubmitWindow } from './submit-window';

/** Data of a `sms-submit` job: the message to submit, and the correlation id of the request that created it. */
export interface SubmitJob {
  message_id: string;
  correlation_id?: string;
}

/** The connectors a message may take, in order, and the running connector of an id. */
export interface Routing {
  candidates(projectId: string, to: string): string[];
  connector(id: string): LiveConnector | undefined;
}

/** A connector's messages-per-second limit (ThroughputLimit): take() resolves when a submit may go. */
export interface Throughput {
  take(connectorId: string, tps: number | null): Promise<void>;
}

/** Where receipt URLs point and how they are signed (see dlrCallbackUrl). */
export interface DlrSettings {
  baseUrl: string;
  secret: string;
}

/** How an error of a submit settles its attempt in `message_submissions`. */
function outcomeOf(err: unknown): Exclude<SubmissionOutcome, 'submitting' | 'submitted'> {
  if (err instanceof NotSubmittedError) return 'not_submitted';
  if (err instanceof PermanentError) return 'rejected';
  return 'unknown';
}

/**
 * Submits one MT through the connectors of its route, in order. Each attempt is a row of
 * `message_submissions` (which connector, what came of it) and the timeline names the connector.
 * A message moves to the next connector only when the carrier provably did not take it
 * (NotSubmittedError: refused connection, unavailable, breaker open); once an outcome is unknown
 * (timeout after the request left) it stays on that connector for every retry, so it is never
 * sent through two carriers. Idempotent per message: a message already taken by a carrier or
 * already final is not submitted again. The one window left is a crash after the carrier
 * accepted and before the attempt is settled: the retry goes to the same connector
 * (at-least-once there). With a SubmitWindow, a message waits for a place in it before it
 * becomes `sending`, so `sending` means handed to a carrier, not waiting for one.
 */
export class SubmitMessageUseCase {
  private readonly submissions: SubmissionRepository;
  private readonly inflight = new Map<string, Set<Promise<unknown>>>();

  constructor(
    private readonly ds: DataSource,
    private readonly routing: Routing,
    private readonly throughput: Throughput,
    private readonly dlr: DlrSettings,
    private readonly window: SubmitWindow = SubmitWindow.off(),
  ) {
    this.submissions = new SubmissionRepository(ds.manager);
  }

  /**
   * @throws PermanentError (`no_route`, or the carrier's) | RetryableError (no connector took it
   * this time, or the outcome is unknown: the job is retried with backoff).
   */
  async submit(job: SubmitJob): Promise<'submitted' | 'skipped'> {
    const message = await readMessage(this.ds.manager, job.message_id);
    if (!message || message.direction !== 'outbound' || message.providerMessageId || isTerminal(message.status)) return 'skipped';
    const state = await this.submissions.state(message.id);
    if (state.taken) return 'skipped';
    const candidates = state.pinnedTo ? [state.pinnedTo] : this.routing.candidates(message.projectId, message.to);
    if (candidates.length === 0) throw new PermanentError(`no route for ${message.to}`, 'no_route');
    const slot = await this.window.acquire();
    const refusals: string[] = [];
    let handed = false;
    try {
      for (const id of candidates) {
        const connector = this.routing.connector(id);
        if (!connector) {
          refusals.push(`${id}: not running`);
          continue;
        }
        try {
          await this.attempt(message, connector, job.correlation_id);
          handed = true;
          slot.handedOver(message.id);
          return 'submitted';
        } catch (err) {
          if (!(err instanceof NotSubmittedError)) throw err;
          refusals.push(`${connector.row.name}: ${err.message}`);
        }
      }
    } finally {
      if (!handed) slot.release();
    }
    throw new RetryableError(`no connector took the message (${refusals.join('; ')})`);
  }

  /** Resolves when every submit on `connectorId` in flight in this process has settled (a bound carrier's receipt can overtake its submit_sm_resp's bookkeeping). */
  async settled(connectorId: string): Promise<void> {
    await Promise.allSettled([...(this.inflight.get(connectorId) ?? [])]);
  }

  /** Marks the message failed once retries are exhausted or the error is permanent. */
  async giveUp(job: SubmitJob, kind: GiveUpKind, error: Error): Promise<void> {
    const code = error instanceof PermanentError ? error.code : undefined;
    await recordStatus(this.ds.manager, {
      messageId: job.message_id,
      status: 'failed',
      source: 'connector',
      description: kind === 'exhausted' ? 'retries exhausted; moved to the dead-letter queue' : 'rejected by the carrier',
      errorCode: code ?? (kind === 'exhausted' ? 'retries_exhausted' : 'rejected'),
      errorMessage: error.message,
      correlationId: job.correlation_id,
    });
  }

  /** One attempt on one connector, through its breaker and throughput limit. @throws what the adapter or breaker throws */
  private async attempt(message: MessageEntity, c: LiveConnector, correlationId?: string): Promise<void> {
    const { id, name, kind } = c.adapter.identity;
    await this.throughput.take(id, c.row.tps);
    let submissionId: string | undefined;
    let done!: () => void;
    const tracked = new Promise<void>((resolve) => (done = resolve));
    this.track(id, tracked);
    try {
      const result: SubmitResult = await c.breaker.run(async () => {
        submissionId = await this.submissions.begin(message.id, id, kind);
        if (message.status === 'queued') {
          await recordStatus(
            this.ds.manager,
            {
              messageId: message.id,
              status: 'sending',
              source: 'connector',
              description: `submitting to ${name}`,
              connectorId: id,
              correlationId,
            },
            message,
          );
        }
        return c.adapter.submit({
          messageId: message.id,
          to: message.to,
          from: message.from,
          body: message.body,
          encoding: message.encoding,
          validityPeriodS: message.validityPeriod,
          dlrUrl: dlrCallbackUrl(this.dlr.baseUrl, this.dlr.secret, kind, message.id, id),
        });
      });
      await this.submissions.settle(submissionId!, {
        outcome: 'submitted',
        providerMessageId: result.providerMessageId,
        partIds: result.partIds ?? null,
      });
    } catch (err) {
      if (submissionId) await this.submissions.settle(submissionId, { outcome: outcomeOf(err), error: (err as Error).message });
      throw err;
    } finally {
      done();
      this.untrack(id, tracked);
    }
  }

  private track(connectorId: string, p: Promise<unknown>): void {
    let set = this.inflight.get(connectorId);
    if (!set) this.inflight.set(connectorId, (set = new Set()));
    set.add(p);
  }

  private untrack(connectorId: string, p: Promise<unknown>): void {
    this.inflight.get(connectorId)?.delete(p);
  }
}
