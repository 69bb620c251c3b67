import type { EntityManager } from 'typeorm';
import type { ErasurePhase, ErasureStatus } from '@gw/database';
import { recordStatus } from '@gw/sms';
import { redactTimelineEntry, TimelineParts } from './redaction';

/**
 * A keyset position over a project's messages or calls: `at` is `created_at` as Postgres prints
 * it (text, so its microseconds survive the trip through JavaScript), `id` breaks ties.
 */
export interface KeysetCursor {
  at: string;
  id: string;
}

/** A message as a walk sees it: `pending` while an MT still waits to be handed to the SMSC; `matches` its to or from is the number looked for. */
export interface ScannedMessage extends KeysetCursor {
  pending: boolean;
  matches: boolean;
}

/** A call as a walk sees it: `live` until it has ended. */
export interface ScannedCall extends KeysetCursor {
  live: boolean;
  matches: boolean;
}

/** A project's retention periods (days; null keeps forever) and its sweep cursors. */
export interface RetentionRow {
  projectId: string;
  messageBodyDays: number | null;
  callTimelineDays: number | null;
  recordingDays: number | null;
  messagesCursor: KeysetCursor | null;
  callsCursor: KeysetCursor | null;
}

/** A recording still in the store. */
export interface StoredRecording {
  id: string;
  storageKey: string;
}

/** An erasure's progress as the workers read it (see ErasureEntity). */
export interface ErasureProgress {
  id: string;
  projectId: string;
  phone: string | null;
  status: ErasureStatus;
  phase: ErasurePhase;
  cursor: Record<string, string> | null;
  requestedAt: string;
}

/** What one erasure batch adds to the erasure's counts. */
export interface ErasureCounts {
  messages_erased?: number;
  calls_erased?: number;
  recordings_deleted?: number;
  events_scrubbed?: number;
  responses_scrubbed?: number;
}

/** An erased subscriber's number and what replaces it (see erasureMarker). */
export interface Erase {
  phone: string;
  marker: string;
}

/** One pass of a batched walk: how many rows it looked at, how many it changed, and where the next starts. */
export interface WalkStep {
  seen: number;
  changed: number;
  last: string | null;
}

/** The walk starts before every row: no row has an earlier created_at nor a smaller id. */
const START: KeysetCursor = { at: '-infinity', id: '' };

/** An MT the connector has not handed to the SMSC yet (SQL over `messages`). */
const PENDING_MT = `(direction = 'outbound' AND status IN ('queued', 'sending') AND provider_message_id IS NULL)`;

/**
 * The workers' SQL for personal-data retention and subscriber erasure. Every walk is a keyset walk
 * over an index with a bounded batch, so no statement reads or locks more than one batch, and every
 * write is idempotent (redacting twice changes nothing more), so a batch repeated after a crash is
 * harmless. `db` is the data source's manager or a transaction's.
 */
export class PersonalDataRepository {
  // ---- retention

  /** Projects with at least one retention period set. */
  async retentionPolicies(db: EntityManager): Promise<RetentionRow[]> {
    const rows: Array<Record<string, unknown>> = await db.query(
      `SELECT ${RETENTION_COLUMNS} FROM project_retention
        WHERE message_body_days IS NOT NULL OR call_timeline_days IS NOT NULL OR recording_days IS NOT NULL
        ORDER BY project_id`,
    );
    return rows.map(retentionRow);
  }

  /**
   * The project's retention row, locked for the rest of `tx` so one worker at a time walks the
   * project; null when another worker holds it (or the row is gone).
   */
  async lockRetention(tx: EntityManager, projectId: string): Promise<RetentionRow | null> {
    const rows: Array<Record<string, unknown>> = await tx.query(
      `SELECT ${RETENTION_COLUMNS} FROM project_retention WHERE project_id = $1 FOR UPDATE SKIP LOCKED`,
      [projectId],
    );
    return rows.length ? retentionRow(rows[0]) : null;
  }

  /** Moves the project's message (or call) sweep cursor. */
  async saveSweepCursor(tx: EntityManager, projectId: string, table: 'messages' | 'calls', cursor: KeysetCursor): Promise<void> {
    await tx.query(`UPDATE project_retention SET ${table}_swept_at = $2::timestamptz, ${table}_swept_id = $3 WHERE project_id = $1`, [
      projectId,
      cursor.at,
      cursor.id,
    ]);
  }

  // ---- messages

  /**
   * The next `limit` messages of the project after `after` (by created_at, id) created at or before
   * `until`, through the (project_id, created_at, id) index. `phone` (E.164) sets `matches`.
   */
  async scanMessages(
    db: EntityManager,
    projectId: string,
    after: KeysetCursor | null,
    until: Date | string,
    limit: number,
    phone: string | null,
  ): Promise<ScannedMessage[]> {
    return scan(db, 'messages', `${PENDING_MT} AS pending`, projectId, after, until, limit, phone);
  }

  /**
   * Fails MTs not yet handed to the SMSC (recordStatus: status event and callback as usual), so a
   * message whose body is about to be redacted, or whose recipient is erased, is never sent.
   */
  async failUnsent(
    db: EntityManager,
    ids: string[],
    source: 'retention' | 'erasure',
    errorCode: string,
    description: string,
  ): Promise<void> {
    for (const messageId of ids) {
      await recordStatus(db, { messageId, status: 'failed', source, errorCode, errorMessage: description, description });
    }
  }

  /**
   * Replaces the bodies of `ids` by '' and marks them redacted; MTs still waiting for the SMSC are
   * left alone. Without `erase` (retention), only bodies not yet redacted; with it, the number is
   * also replaced by the marker wherever it is the message's to or from. Returns the ids changed.
   */
  async redactMessages(db: EntityManager, ids: string[], erase: Erase | null): Promise<string[]> {
    if (!ids.length) return [];
    const rows: Array<{ id: string }> = await db.query(
      `WITH changed AS (
         UPDATE messages SET body = '', redacted_at = coalesce(redacted_at, now()),
                to_number = CASE WHEN to_number = $2 THEN $3 ELSE to_number END,
                from_number = CASE WHEN from_number = $2 THEN $3 ELSE from_number END
          WHERE id = ANY($1) AND NOT ${PENDING_MT} AND ($2::text IS NOT NULL OR redacted_at IS NULL)
          RETURNING id)
       SELECT id FROM changed`,
      [ids, erase?.phone ?? null, erase?.marker ?? null],
    );
    return rows.map((r) => r.id);
  }

  // ---- calls

  /** Like scanMessages, over the project's calls; `live` until the call has ended. */
  async scanCalls(
    db: EntityManager,
    projectId: string,
    after: KeysetCursor | null,
    until: Date | string,
    limit: number,
    phone: string | null,
  ): Promise<ScannedCall[]> {
    return scan(db, 'calls', 'ended_at IS NULL AS live', projectId, after, until, limit, phone);
  }

  /**
   * Redacts ended calls: their timeline entries through redactTimelineEntry (statuses, events,
   * causes and durations stay), their interpreter state (variables, digits) and flow snapshot (TTS
   * text, dial targets) removed. Without `erase` (retention), only calls not yet redacted; with it,
   * also the number replaced by the marker. Returns how many calls were changed.
   */
  async redactCalls(db: EntityManager, ids: string[], erase: Erase | null): Promise<number> {
    if (!ids.length) return 0;
    const calls: Array<{ id: string }> = await db.query(
      `WITH changed AS (
         UPDATE calls SET interpreter_state = NULL, flow_document = '{}'::jsonb, timeline_redacted_at = coalesce(timeline_redacted_at, now()),
                to_number = CASE WHEN to_number = $2 THEN $3 ELSE to_number END,
                from_number = CASE WHEN from_number = $2 THEN $3 ELSE from_number END
          WHERE id = ANY($1) AND ended_at IS NOT NULL AND ($2::text IS NOT NULL OR timeline_redacted_at IS NULL)
          RETURNING id)
       SELECT id FROM changed`,
      [ids, erase?.phone ?? null, erase?.marker ?? null],
    );
    if (!calls.length) return 0;
    const events: Array<TimelineParts & { id: string }> = await db.query(
      `SELECT id, step, detail FROM call_events WHERE call_id = ANY($1) AND (step IS NOT NULL OR detail IS NOT NULL)`,
      [calls.map((c) => c.id)],
    );
    const redacted = events
      .map((e) => ({ id: e.id, before: e, ...redactTimelineEntry(e) }))
      .filter((e) => JSON.stringify([e.step, e.detail]) !== JSON.stringify([e.before.step, e.before.detail]))
      .map(({ id, step, detail }) => ({ id, step, detail }));
    if (redacted.length) {
      await db.query(
        `UPDATE call_events e SET step = r.step, detail = r.detail
           FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, step jsonb, detail jsonb) WHERE e.id = r.id`,
        [JSON.stringify(redacted)],
      );
    }
    return calls.length;
  }

  // ---- recordings

  /** Up to `limit` recordings of the project made before `before` and still stored, oldest first (partial index). */
  dueRecordings(db: EntityManager, projectId: string, before: Date, limit: number): Promise<StoredRecording[]> {
    return db.query(
      `SELECT id, storage_key AS "storageKey" FROM recordings
        WHERE project_id = $1 AND deleted_at IS NULL AND created_at < $2 ORDER BY created_at LIMIT $3`,
      [projectId, before, limit],
    );
  }

  /** The recordings of these calls still stored. */
  storedRecordingsOf(db: EntityManager, callIds: string[]): Promise<StoredRecording[]> {
    if (!callIds.length) return Promise.resolve([]);
    return db.query(`SELECT id, storage_key AS "storageKey" FROM recordings WHERE call_id = ANY($1) AND deleted_at IS NULL`, [callIds]);
  }

  /** Marks recordings whose object was deleted from the store; returns how many were still unmarked. */
  async markRecordingsDeleted(db: EntityManager, ids: string[]): Promise<number> {
    if (!ids.length) return 0;
    const rows: unknown[] = await db.query(
      `WITH changed AS (UPDATE recordings SET deleted_at = now() WHERE id = ANY($1) AND deleted_at IS NULL RETURNING id) SELECT id FROM changed`,
      [ids],
    );
    return rows.length;
  }

  // ---- erasures

  /** Ids of the erasures not completed, oldest first. */
  async unfinishedErasures(db: EntityManager): Promise<string[]> {
    const rows: Array<{ id: string }> = await db.query(`SELECT id FROM erasures WHERE completed_at IS NULL ORDER BY requested_at, id`);
    return rows.map((r) => r.id);
  }

  /** An erasure's progress, row-locked for the rest of `tx` when `lock`; null when there is none. */
  async erasure(db: EntityManager, id: string, lock = false): Promise<ErasureProgress | null> {
    const rows: ErasureProgress[] = await db.query(
      `SELECT id, project_id AS "projectId", phone, status, phase, cursor, requested_at::text AS "requestedAt"
         FROM erasures WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`,
      [id],
    );
    return rows[0] ?? null;
  }

  /** Records a batch: the phase and cursor the next batch starts from, and what it adds to the counts. */
  async advanceErasure(
    tx: EntityManager,
    id: string,
    phase: ErasurePhase,
    cursor: Record<string, string> | null,
    add: ErasureCounts,
  ): Promise<void> {
    await tx.query(
      `UPDATE erasures SET phase = $2, cursor = $3::jsonb, status = 'running', last_error = NULL, updated_at = now(),
              messages_erased = messages_erased + $4, calls_erased = calls_erased + $5, recordings_deleted = recordings_deleted + $6,
              events_scrubbed = events_scrubbed + $7, responses_scrubbed = responses_scrubbed + $8
        WHERE id = $1`,
      [
        id,
        phase,
        cursor === null ? null : JSON.stringify(cursor),
        add.messages_erased ?? 0,
        add.calls_erased ?? 0,
        add.recordings_deleted ?? 0,
        add.events_scrubbed ?? 0,
        add.responses_scrubbed ?? 0,
      ],
    );
  }

  /**
   * Completes an erasure: counts the number's opt-out records (kept: they are the legal record of
   * the subscriber's choice and stop future messages), then forgets the number itself.
   */
  async completeErasure(tx: EntityManager, id: string, projectId: string, phone: string): Promise<void> {
    await tx.query(
      `UPDATE erasures SET status = 'completed', phase = 'done', cursor = NULL, phone = NULL, last_error = NULL,
              opt_outs_kept = (SELECT count(*) FROM opt_outs WHERE project_id = $2 AND phone = $3), completed_at = now(), updated_at = now()
        WHERE id = $1`,
      [id, projectId, phone],
    );
  }

  /** Notes why a batch did not go through (never a secret: messages of the store or database errors). */
  async noteErasureFailure(db: EntityManager, id: string, reason: string): Promise<void> {
    await db.query(`UPDATE erasures SET last_error = $2, updated_at = now() WHERE id = $1`, [id, reason.slice(0, 500)]);
  }

  /** The newest outbox row id now (0 when empty): the events phase scrubs up to it. */
  async outboxHead(db: EntityManager): Promise<string> {
    const [row]: Array<{ head: string }> = await db.query(`SELECT coalesce(max(id), 0)::text AS head FROM outbox`);
    return row.head;
  }

  /**
   * Scrubs outbox event copies of the project's messages and calls to or from the number, among
   * the next `limit` rows after id `after` up to `until` (primary key walk): the number becomes the
   * marker, an MO body is dropped. Unpublished rows too, so the event still relayed carries neither.
   */
  async scrubOutbox(tx: EntityManager, projectId: string, erase: Erase, after: string, until: string, limit: number): Promise<WalkStep> {
    const [step]: WalkStep[] = await tx.query(
      `WITH head AS (SELECT id FROM outbox WHERE id > $4::bigint AND id <= $5::bigint ORDER BY id LIMIT $6),
            changed AS (
              UPDATE outbox o SET payload = (o.payload - 'body')
                       || CASE WHEN o.payload->>'to' = $2 THEN jsonb_build_object('to', $3::text) ELSE '{}'::jsonb END
                       || CASE WHEN o.payload->>'from' = $2 THEN jsonb_build_object('from', $3::text) ELSE '{}'::jsonb END
                FROM head
               WHERE o.id = head.id AND o.payload->>'project_id' = $1 AND (o.payload->>'to' = $2 OR o.payload->>'from' = $2)
               RETURNING o.id)
       SELECT count(*)::int AS seen, (SELECT count(*) FROM changed)::int AS changed, max(id)::text AS last FROM head`,
      [projectId, erase.phone, erase.marker, after, until, limit],
    );
    return step;
  }

  /**
   * Scrubs the project's stored idempotent responses (replayed for an Idempotency-Key) of messages
   * and calls to or from the number, among the next `limit` keys after `after`: the number becomes
   * the marker, a message body '' with its `redacted_at` (as MessageDto shows it).
   */
  async scrubResponses(tx: EntityManager, projectId: string, erase: Erase, after: string, limit: number): Promise<WalkStep> {
    const [step]: WalkStep[] = await tx.query(
      `WITH head AS (SELECT key FROM idempotency_keys WHERE project_id = $1 AND key > $4 ORDER BY key LIMIT $5),
            changed AS (
              UPDATE idempotency_keys k SET response_body = k.response_body
                       || CASE WHEN k.response_body->>'to' = $2 THEN jsonb_build_object('to', $3::text) ELSE '{}'::jsonb END
                       || CASE WHEN k.response_body->>'from' = $2 THEN jsonb_build_object('from', $3::text) ELSE '{}'::jsonb END
                       || CASE WHEN k.response_body ? 'body'
                               THEN jsonb_build_object('body', '', 'redacted_at', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
                               ELSE '{}'::jsonb END
                FROM head
               WHERE k.project_id = $1 AND k.key = head.key AND jsonb_typeof(k.response_body) = 'object'
                 AND (k.response_body->>'to' = $2 OR k.response_body->>'from' = $2)
               RETURNING k.key)
       SELECT count(*)::int AS seen, (SELECT count(*) FROM changed)::int AS changed, max(key) AS last FROM head`,
      [projectId, erase.phone, erase.marker, after, limit],
    );
    return step;
  }
}

/**
 * The keyset walk behind scanMessages and scanCalls: the next `limit` rows of `table` (by
 * created_at, id) after `after` and created at or before `until`, with `flag` (a selected boolean
 * column) and `matches` (to or from is `phone`).
 */
function scan<T>(
  db: EntityManager,
  table: 'messages' | 'calls',
  flag: string,
  projectId: string,
  after: KeysetCursor | null,
  until: Date | string,
  limit: number,
  phone: string | null,
): Promise<T[]> {
  const from = after ?? START;
  return db.query(
    `SELECT id, created_at::text AS at, ${flag}, (to_number = $5 OR from_number = $5) IS TRUE AS matches
       FROM ${table}
      WHERE project_id = $1 AND (created_at, id) > ($2::timestamptz, $3) AND created_at <= $4::timestamptz
      ORDER BY created_at, id LIMIT $6`,
    [projectId, from.at, from.id, until, phone, limit],
  );
}

const RETENTION_COLUMNS = `project_id, message_body_days, call_timeline_days, recording_days,
  messages_swept_at::text AS messages_swept_at, messages_swept_id, calls_swept_at::text AS calls_swept_at, calls_swept_id`;

function retentionRow(r: Record<string, unknown>): RetentionRow {
  const cursor = (at: unknown, id: unknown): KeysetCursor | null => (at === null ? null : { at: String(at), id: String(id) });
  return {
    projectId: String(r.project_id),
    messageBodyDays: r.message_body_days as number | null,
    callTimelineDays: r.call_timeline_days as number | null,
    recordingDays: r.recording_days as number | null,
    messagesCursor: cursor(r.messages_swept_at, r.messages_swept_id),
    callsCursor: cursor(r.calls_swept_at, r.calls_swept_id),
  };
}
