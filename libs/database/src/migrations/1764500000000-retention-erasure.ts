import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Personal-data retention and subscriber erasure.
 *
 * `project_retention`: the operator's per-project retention (`PUT /admin/projects/{id}/retention`),
 * in days; NULL keeps forever (no row: everything kept forever). The workers' retention sweep
 * redacts MT/MO bodies past `message_body_days`, call timeline details past `call_timeline_days`
 * and deletes recordings past `recording_days`. `messages_swept_*` / `calls_swept_*` are the sweep's
 * keyset cursors (created_at, id) over the project's messages and calls: every row before them is
 * done, so a sweep reads only new rows through the existing (project_id, created_at, id) indexes.
 *
 * `messages.redacted_at`: when the body was replaced by ''. `calls.timeline_redacted_at`: when the
 * timeline details (digits, TTS text, dial targets...), interpreter state and flow snapshot were
 * removed. `recordings.deleted_at`: when the object was deleted from the recording store (the row
 * stays, so the call's history and usage keep it); the partial index finds recordings still stored.
 *
 * `erasures`: subscriber erasure requests (`POST /admin/projects/{id}/erasures`), run by the
 * workers in batches. `phone` (E.164) is kept only until the erasure completes; `phone_sha256`
 * stays (hex SHA-256 of `<project id>:<phone>`), so the operator can show that a number was erased.
 * `phase` and `cursor` say where the next batch starts; the counts grow with each batch.
 */
export class RetentionErasure1764500000000 implements MigrationInterface {
  name = 'RetentionErasure1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE project_retention (
        project_id text PRIMARY KEY,
        message_body_days integer,
        call_timeline_days integer,
        recording_days integer,
        messages_swept_at timestamptz,
        messages_swept_id text,
        calls_swept_at timestamptz,
        calls_swept_id text,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT project_retention_project_id_fkey FOREIGN KEY (project_id) REFERENCES projects(id) ON DELETE RESTRICT
      )`);
    await q.query(`ALTER TABLE messages ADD COLUMN redacted_at timestamptz`);
    await q.query(`ALTER TABLE calls ADD COLUMN timeline_redacted_at timestamptz`);
    await q.query(`ALTER TABLE recordings ADD COLUMN deleted_at timestamptz`);
    await q.query(`CREATE INDEX recordings_project_stored_idx ON recordings (project_id, created_at) WHERE deleted_at IS NULL`);
    await q.query(`
      CREATE TABLE erasures (
        id text PRIMARY KEY,
        project_id text NOT NULL,
        phone text,
        phone_sha256 text NOT NULL,
        status text NOT NULL,
        phase text NOT NULL,
        cursor jsonb,
        messages_erased integer NOT NULL DEFAULT 0,
        calls_erased integer NOT NULL DEFAULT 0,
        recordings_deleted integer NOT NULL DEFAULT 0,
        events_scrubbed integer NOT NULL DEFAULT 0,
        responses_scrubbed integer NOT NULL DEFAULT 0,
        opt_outs_kept integer,
        last_error text,
        requested_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        completed_at timestamptz,
        CONSTRAINT erasures_project_id_fkey FOREIGN KEY (project_id) REFERENCES projects(id) ON DELETE RESTRICT
      )`);
    await q.query(`CREATE INDEX erasures_unfinished_idx ON erasures (requested_at) WHERE completed_at IS NULL`);
    await q.query(`CREATE INDEX erasures_project_requested_idx ON erasures (project_id, requested_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE erasures`);
    await q.query(`DROP INDEX recordings_project_stored_idx`);
    await q.query(`ALTER TABLE recordings DROP COLUMN deleted_at`);
    await q.query(`ALTER TABLE calls DROP COLUMN timeline_redacted_at`);
    await q.query(`ALTER TABLE messages DROP COLUMN redacted_at`);
    await q.query(`DROP TABLE project_retention`);
  }
}
