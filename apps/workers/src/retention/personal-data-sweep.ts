import type { DataSource } from 'typeorm';
import type { LogFn } from '@gw/observability';
import type { RecordingStore } from '@gw/recordings';
import { PersonalDataRepository, StoredRecording } from './personal-data.repository';
import { retentionCutoff, settledPrefix } from './redaction';

/** Rows (messages, calls, recordings) one retention batch handles at most; each batch is one short transaction. */
export interface PersonalDataBatches {
  messages: number;
  calls: number;
  recordings: number;
}

export const DEFAULT_PERSONAL_DATA_BATCHES: PersonalDataBatches = { messages: 500, calls: 100, recordings: 50 };

/** What one sweep did across all projects. */
export interface PersonalDataCounts {
  messages_redacted: number;
  calls_redacted: number;
  recordings_deleted: number;
}

/** What one batch changed, and whether more may be due right away. */
interface Batch {
  changed: number;
  more: boolean;
}

/** Recording objects deleted from the store at once. */
const DELETE_CONCURRENCY = 4;

/**
 * Deletes recordings from the store, DELETE_CONCURRENCY at a time. Returns the ids whose object is
 * gone and the first failure, if any (the others are still tried: each deletion stands alone).
 */
export async function deleteFromStore(
  store: RecordingStore,
  recordings: StoredRecording[],
): Promise<{ deleted: string[]; error: Error | null }> {
  const deleted: string[] = [];
  let error: Error | null = null;
  for (let i = 0; i < recordings.length; i += DELETE_CONCURRENCY) {
    const chunk = recordings.slice(i, i + DELETE_CONCURRENCY);
    const results = await Promise.allSettled(chunk.map((r) => store.delete(r.storageKey)));
    results.forEach((res, j) => {
      if (res.status === 'fulfilled') deleted.push(chunk[j].id);
      else error ??= res.reason instanceof Error ? res.reason : new Error(String(res.reason));
    });
  }
  return { deleted, error };
}

/**
 * The per-project personal-data retention (project_retention): MT/MO bodies past
 * `message_body_days` are redacted, call timelines past `call_timeline_days` redacted, recordings
 * past `recording_days` deleted from the store and their rows marked. Periods count from the
 * message's, call's or recording's creation.
 *
 * Batched: each batch is one transaction over at most PersonalDataBatches rows, which also moves
 * the project's sweep cursor, so a backlog of any size never holds long locks, and a crash loses at
 * most the batch in flight, which the next sweep does again (every write is idempotent). Messages
 * and calls lock the project's retention row (SKIP LOCKED) for the batch, so two workers never walk
 * one project at once. A recording's object is deleted before its row is marked, so a crash in
 * between only repeats the deletion, and a store failure leaves the rest for the next sweep.
 */
export class PersonalDataSweep {
  constructor(
    private readonly ds: DataSource,
    private readonly repo: PersonalDataRepository,
    private readonly store: RecordingStore,
    private readonly log: LogFn,
    private readonly batches: PersonalDataBatches = DEFAULT_PERSONAL_DATA_BATCHES,
  ) {}

  /**
   * Sweeps every project with a retention period set until nothing is due or `shouldStop()` turns
   * true (checked between batches). A project whose batch fails is logged and left for the next
   * sweep; the other projects go on.
   */
  async run(shouldStop: () => boolean = () => false): Promise<PersonalDataCounts> {
    const counts: PersonalDataCounts = { messages_redacted: 0, calls_redacted: 0, recordings_deleted: 0 };
    for (const policy of await this.repo.retentionPolicies(this.ds.manager)) {
      const { projectId, messageBodyDays, callTimelineDays, recordingDays } = policy;
      const kinds: Array<[keyof PersonalDataCounts, number | null, () => Promise<Batch>]> = [
        ['messages_redacted', messageBodyDays, () => this.messages(projectId)],
        ['calls_redacted', callTimelineDays, () => this.calls(projectId)],
        ['recordings_deleted', recordingDays, () => this.recordings(projectId, recordingDays!)],
      ];
      try {
        for (const [count, days, batch] of kinds) {
          if (shouldStop()) return counts;
          if (days === null) continue;
          for (let more = true; more && !shouldStop();) {
            const step = await batch();
            counts[count] += step.changed;
            more = step.more;
          }
        }
      } catch (err) {
        this.log('warn', 'personal-data retention failed for a project; retried next sweep', {
          project_id: projectId,
          reason: err instanceof Error ? err.message : String(err),
        });
      }
    }
    return counts;
  }

  /** One batch of body redaction; unsent MTs among them are failed first, so they never go out empty. */
  private messages(projectId: string): Promise<Batch> {
    return this.ds.transaction(async (tx) => {
      const policy = await this.repo.lockRetention(tx, projectId);
      if (!policy || policy.messageBodyDays === null) return { changed: 0, more: false };
      const rows = await this.repo.scanMessages(
        tx,
        projectId,
        policy.messagesCursor,
        retentionCutoff(policy.messageBodyDays),
        this.batches.messages,
        null,
      );
      if (!rows.length) return { changed: 0, more: false };
      const unsent = rows.filter((r) => r.pending).map((r) => r.id);
      await this.repo.failUnsent(tx, unsent, 'retention', 'body_expired', "the body reached the project's retention before it was sent");
      const redacted = await this.repo.redactMessages(
        tx,
        rows.map((r) => r.id),
        null,
      );
      const last = rows[rows.length - 1];
      await this.repo.saveSweepCursor(tx, projectId, 'messages', { at: last.at, id: last.id });
      return { changed: redacted.length, more: rows.length === this.batches.messages };
    });
  }

  /** One batch of timeline redaction; the cursor stops before a call still live (revisited once it ends). */
  private calls(projectId: string): Promise<Batch> {
    return this.ds.transaction(async (tx) => {
      const policy = await this.repo.lockRetention(tx, projectId);
      if (!policy || policy.callTimelineDays === null) return { changed: 0, more: false };
      const rows = await this.repo.scanCalls(
        tx,
        projectId,
        policy.callsCursor,
        retentionCutoff(policy.callTimelineDays),
        this.batches.calls,
        null,
      );
      const ended = settledPrefix(rows, (r) => !r.live);
      if (!ended.length) return { changed: 0, more: false };
      const changed = await this.repo.redactCalls(
        tx,
        ended.map((r) => r.id),
        null,
      );
      const last = ended[ended.length - 1];
      await this.repo.saveSweepCursor(tx, projectId, 'calls', { at: last.at, id: last.id });
      return { changed, more: ended.length === this.batches.calls };
    });
  }

  /**
   * One batch of recording deletion: objects first, then their rows. @throws the store's error
   * once the rows of the objects that were deleted are marked.
   */
  private async recordings(projectId: string, days: number): Promise<Batch> {
    const due = await this.repo.dueRecordings(this.ds.manager, projectId, retentionCutoff(days), this.batches.recordings);
    const { deleted, error } = await deleteFromStore(this.store, due);
    const changed = await this.repo.markRecordingsDeleted(this.ds.manager, deleted);
    if (error) throw error;
    return { changed, more: due.length === this.batches.recordings };
  }
}
