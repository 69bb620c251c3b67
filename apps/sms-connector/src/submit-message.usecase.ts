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

/**
 * A connector's limits across replicas: `take` resolves when a submit fits its messages per second
 * (ThroughputLimit); `run` runs a submit inside a slot of its in-flight window (InFlightWindow).
 */
export interface ConnectorLimits {
  take(connectorId: string, tps: number | null): Promise<void>;
  run<T>(connectorId: string, window: number | null, submit: () => Promise<T>): Promise<T>;
}

/** Where submit outcomes and their carrier answer times are counted (ConnectorMetrics). */
export interface SubmitMetrics {
  submit(connector: string, outcome: Exclude<SubmissionOutcome, 'submitting'>, seconds: number): void;
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
    private readonly limits: ConnectorLimits,
    private readonly dlr: DlrSettings,
    private readonly window: SubmitWindow = SubmitWindow.off(),
    private readonly metrics?: SubmitMetrics,
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

  /**
   * Marks the message failed once retries are exhausted or the error is permanent; the transition
   * names the connector of the message's last attempt (none when it never reached one: no route).
   */
  async giveUp(job: SubmitJob, kind: GiveUpKind, error: Error): Promise<void> {
    const code = error instanceof PermanentError ? error.code : undefined;
    const latest = await this.submissions.latest(job.message_id);
    await recordStatus(this.ds.manager, {
      messageId: job.message_id,
      status: 'failed',
      source: 'connector',
      description: kind === 'exhausted' ? 'retries exhausted; moved to the dead-letter queue' : 'rejected by the carrier',
      errorCode: code ?? (kind === 'exhausted' ? 'retries_exhausted' : 'rejected'),
      errorMessage: error.message,
      connectorId: latest?.connectorId ?? null,
      correlationId: job.correlation_id,
    });
  }

  /**
   * One attempt on one connector, through its breaker, throughput limit and in-flight window. When
   * the answer is the SMSC's own (`smscAccepted`: a direct bind's submit_sm_resp ESME_ROK), the
   * success is recorded as `sent` here, as the level-1 DLR (Jasmin) or the type 8 DLR (Kannel)
   * records it for the HTTP carriers; before the attempt stops counting as in flight, so a receipt
   * that overtook it (see settled) lands after `sent`.
   * @throws what the adapter or breaker throws
   */
  private async attempt(message: MessageEntity, c: LiveConnector, correlationId?: string): Promise<void> {
    const { id, name, kind } = c.adapter.identity;
    await this.limits.take(id, c.row.tps);
    const started = performance.now();
    let submissionId: string | undefined;
    let taken = false;
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
        return this.limits.run(id, c.row.window, () =>
          c.adapter.submit({
            messageId: message.id,
            to: message.to,
            from: message.from,
            body: message.body,
            encoding: message.encoding,
            validityPeriodS: message.validityPeriod,
            dlrUrl: dlrCallbackUrl(this.dlr.baseUrl, this.dlr.secret, kind, message.id, id),
          }),
        );
      });
      await this.submissions.settle(submissionId!, {
        outcome: 'submitted',
        providerMessageId: result.providerMessageId,
        partIds: result.partIds ?? null,
      });
      taken = true;
      this.metrics?.submit(name, 'submitted', (performance.now() - started) / 1000);
      if (result.smscAccepted) {
        await recordStatus(this.ds.manager, {
          messageId: message.id,
          status: 'sent',
          source: 'connector',
          carrierStatus: 'ESME_ROK',
          description: `accepted by the SMSC through ${name}`,
          providerMessageId: result.providerMessageId,
          connectorId: id,
          correlationId,
        });
      }
    } catch (err) {
      // Once the carrier took the message, no later failure may settle the attempt as anything else.
      if (submissionId && !taken) {
        await this.submissions.settle(submissionId, { outcome: outcomeOf(err), error: (err as Error).message });
        this.metrics?.submit(name, outcomeOf(err), (performance.now() - started) / 1000);
      }
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
