import type { DataSource, EntityManager } from 'typeorm';
import type { ErasurePhase } from '@gw/database';
import type { LogFn } from '@gw/observability';
import type { RecordingStore } from '@gw/recordings';
import { deleteFromStore } from './personal-data-sweep';
import { Erase, ErasureCounts, ErasureProgress, KeysetCursor, PersonalDataRepository, ScannedCall } from './personal-data.repository';
import { PeriodicTask, runPeriodically } from './periodic';
import { erasureMarker, settledPrefix } from './redaction';

/** Rows one erasure batch looks at, per phase; each batch is one short transaction. */
export interface ErasureBatches {
  messages: number;
  calls: number;
  events: number;
  responses: number;
}

export const DEFAULT_ERASURE_BATCHES: ErasureBatches = { messages: 2000, calls: 200, events: 5000, responses: 1000 };

/** A batch that cannot go on yet (a call of the number still live); the erasure retries it later. */
export class ErasureWaiting extends Error {}

/** Where a batch leaves the erasure: the phase and cursor the next batch starts from, and what it counted. */
interface Outcome {
  phase: ErasurePhase;
  cursor: Record<string, string> | null;
  counts: ErasureCounts;
  waiting?: string;
}

/** Recordings of the number's calls deleted from the store ahead of the batch's transaction. */
interface PreparedCalls {
  rows: ScannedCall[];
  hits: string[];
  deletedRecordings: string[];
  waiting: string | null;
}

/**
 * Runs subscriber erasures (`erasures` rows the api accepted), batch by batch, phase by phase:
 * 1. `messages`: the project's messages to or from the number (a walk over the project's messages
 *    up to the request time): unsent MTs failed (so none goes out), bodies redacted, the number
 *    replaced by `erased:<erasure id>`;
 * 2. `calls`: its calls: recordings deleted from the store and their rows marked, timelines,
 *    interpreter state and flow snapshot redacted, the number replaced; a call still live makes the
 *    erasure wait until it has ended;
 * 3. `events`: outbox event copies up to the newest row when the phase began;
 * 4. `responses`: stored Idempotency-Key responses;
 * then completed: the opt-out records of the number are counted (and kept), the number forgotten.
 * Usage counters and ledgers are not touched, nor segments, statuses and durations.
 *
 * Crash-safe: each batch's writes and the erasure's new cursor and counts commit in one
 * transaction, so a restart resumes at the first batch not committed; every write is idempotent.
 * Recording objects are deleted before that transaction (a crash only repeats the deletion); a
 * store failure fails the batch, noted in `last_error`, and it is retried until it goes through.
 * Two workers on one erasure are safe: the batch transaction locks the erasure row and drops its
 * work when the cursor moved meanwhile.
 */
export class ErasureRunner {
  constructor(
    private readonly ds: DataSource,
    private readonly repo: PersonalDataRepository,
    private readonly store: RecordingStore,
    private readonly log: LogFn,
    private readonly batches: ErasureBatches = DEFAULT_ERASURE_BATCHES,
  ) {}

  /**
   * Runs every unfinished erasure, oldest first, until each is completed, fails (noted, retried on
   * the next run) or `shouldStop()` turns true (checked between batches). Returns how many completed.
   */
  async runPending(shouldStop: () => boolean = () => false): Promise<number> {
    let completed = 0;
    for (const id of await this.repo.unfinishedErasures(this.ds.manager)) {
      try {
        while (!shouldStop()) {
          if ((await this.step(id)) === 'completed') {
            completed++;
            this.log('info', 'subscriber erasure completed', { erasure_id: id });
            break;
          }
        }
      } catch (err) {
        const reason = err instanceof Error ? err.message : String(err);
        await this.repo.noteErasureFailure(this.ds.manager, id, reason);
        if (!(err instanceof ErasureWaiting))
          this.log('warn', 'subscriber erasure batch failed; retried later', { erasure_id: id, reason });
      }
      if (shouldStop()) break;
    }
    return completed;
  }

  /**
   * One batch of erasure `id`. @returns `completed` once the erasure is (or was) completed.
   * @throws ErasureWaiting when a call of the number is still live; the store's or the database's error.
   */
  async step(id: string): Promise<'progress' | 'completed'> {
    const seen = await this.repo.erasure(this.ds.manager, id);
    if (!seen || seen.status === 'completed' || !seen.phone) return 'completed';
    const erase: Erase = { phone: seen.phone, marker: erasureMarker(id) };
    const prepared = seen.phase === 'calls' ? await this.prepareCalls(seen, erase) : null;
    const outcome = await this.ds.transaction(async (tx) => {
      const now = await this.repo.erasure(tx, id, true);
      // Another worker committed a batch since: this one's work is stale.
      if (!now || now.phase !== seen.phase || JSON.stringify(now.cursor) !== JSON.stringify(seen.cursor)) return null;
      const out = await this.batch(tx, seen, erase, prepared);
      await this.repo.advanceErasure(tx, id, out.phase, out.cursor, out.counts);
      if (out.phase === 'done') await this.repo.completeErasure(tx, id, seen.projectId, erase.phone);
      return out;
    });
    if (outcome?.waiting) throw new ErasureWaiting(outcome.waiting);
    return outcome?.phase === 'done' ? 'completed' : 'progress';
  }

  private async batch(tx: EntityManager, e: ErasureProgress, erase: Erase, prepared: PreparedCalls | null): Promise<Outcome> {
    switch (e.phase) {
      case 'messages':
        return this.messages(tx, e, erase);
      case 'calls':
        return this.calls(tx, e, erase, prepared!);
      case 'events':
        return this.events(tx, e, erase);
      case 'responses':
        return this.responses(tx, e, erase);
      case 'done':
        return { phase: 'done', cursor: null, counts: {} };
    }
  }

  private async messages(tx: EntityManager, e: ErasureProgress, erase: Erase): Promise<Outcome> {
    const rows = await this.repo.scanMessages(tx, e.projectId, keyset(e.cursor), e.requestedAt, this.batches.messages, erase.phone);
    const hits = rows.filter((r) => r.matches);
    const unsent = hits.filter((r) => r.pending).map((r) => r.id);
    await this.repo.failUnsent(tx, unsent, 'erasure', 'erased', "the recipient's data was erased before the message was sent");
    const erased = await this.repo.redactMessages(
      tx,
      hits.map((r) => r.id),
      erase,
    );
    if (erased.length < hits.length) throw new Error('a message of the number changed while it was erased; retrying');
    const counts = { messages_erased: erased.length };
    if (rows.length < this.batches.messages) return { phase: 'calls', cursor: null, counts };
    const last = rows[rows.length - 1];
    return { phase: 'messages', cursor: { at: last.at, id: last.id }, counts };
  }

  /** Scans the next calls and deletes their recordings from the store, outside any transaction. */
  private async prepareCalls(e: ErasureProgress, erase: Erase): Promise<PreparedCalls> {
    const scanned = await this.repo.scanCalls(
      this.ds.manager,
      e.projectId,
      keyset(e.cursor),
      e.requestedAt,
      this.batches.calls,
      erase.phone,
    );
    // Stop before a live call of the number: it may still record; the erasure waits for its end.
    const rows = settledPrefix(scanned, (r) => !(r.matches && r.live));
    const live = scanned[rows.length];
    const hits = rows.filter((r) => r.matches).map((r) => r.id);
    const { deleted, error } = await deleteFromStore(this.store, await this.repo.storedRecordingsOf(this.ds.manager, hits));
    if (error) throw error;
    return { rows, hits, deletedRecordings: deleted, waiting: live ? `call ${live.id} to or from the number is still live` : null };
  }

  private async calls(tx: EntityManager, e: ErasureProgress, erase: Erase, p: PreparedCalls): Promise<Outcome> {
    const stillStored = (await this.repo.storedRecordingsOf(tx, p.hits)).filter((r) => !p.deletedRecordings.includes(r.id));
    if (stillStored.length) throw new Error('a call of the number got a recording while it was erased; retrying');
    const recordings = await this.repo.markRecordingsDeleted(tx, p.deletedRecordings);
    const calls = await this.repo.redactCalls(tx, p.hits, erase);
    const counts = { calls_erased: calls, recordings_deleted: recordings };
    const last = p.rows[p.rows.length - 1];
    const cursor = last ? { at: last.at, id: last.id } : e.cursor;
    if (p.waiting) return { phase: 'calls', cursor, counts, waiting: p.waiting };
    if (p.rows.length < this.batches.calls)
      return { phase: 'events', cursor: { after: '0', until: await this.repo.outboxHead(tx) }, counts };
    return { phase: 'calls', cursor, counts };
  }

  private async events(tx: EntityManager, e: ErasureProgress, erase: Erase): Promise<Outcome> {
    const until = e.cursor?.until ?? '0';
    const step = await this.repo.scrubOutbox(tx, e.projectId, erase, e.cursor?.after ?? '0', until, this.batches.events);
    const counts = { events_scrubbed: step.changed };
    if (step.seen < this.batches.events) return { phase: 'responses', cursor: { after: '' }, counts };
    return { phase: 'events', cursor: { after: step.last!, until }, counts };
  }

  private async responses(tx: EntityManager, e: ErasureProgress, erase: Erase): Promise<Outcome> {
    const step = await this.repo.scrubResponses(tx, e.projectId, erase, e.cursor?.after ?? '', this.batches.responses);
    const counts = { responses_scrubbed: step.changed };
    if (step.seen < this.batches.responses) return { phase: 'done', cursor: null, counts };
    return { phase: 'responses', cursor: { after: step.last! }, counts };
  }
}

/** The keyset cursor of the messages and calls phases (null: from the start). */
function keyset(cursor: Record<string, string> | null): KeysetCursor | null {
  return cursor?.at !== undefined && cursor.id !== undefined ? { at: cursor.at, id: cursor.id } : null;
}

/**
 * Runs `runner.runPending` now and then every `intervalMs`, never two runs at once in this
 * process; a run in progress ends between batches on `stop()`, which waits for it.
 */
export function startErasureRunner(runner: ErasureRunner, intervalMs: number, log: LogFn): PeriodicTask {
  return runPeriodically(
    (stopping) => runner.runPending(stopping),
    intervalMs,
    (err) => log('warn', 'subscriber erasures failed', { reason: err instanceof Error ? err.message : String(err) }),
  );
}
