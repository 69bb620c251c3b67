import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * SMS opt-outs (CTIA Messaging Principles and Best Practices, section 5.1: opt-out keywords must be
 * honoured). `opt_outs` holds one row per handset (`phone`, E.164) and sender it opted out of, or
 * `sender` NULL for the whole project; the unique index treats NULLs as equal (PostgreSQL 15 NULLS
 * NOT DISTINCT), so a handset has at most one project-wide row. Its column order serves the MT
 * check `project_id = $1 AND phone = $2 AND (sender = $3 OR sender IS NULL)` as one index range
 * scan. `project_messaging_settings` holds the operator's per-project keyword settings (absent row:
 * the defaults). `messages.keyword_action` records what an MO keyword did (opt_out, opt_in, help)
 * and, on an MT, which keyword it answers; `messages.system_reply` marks MTs the gateway wrote
 * itself (HELP answers, STOP/START confirmations).
 */
export class OptOuts1764400000000 implements MigrationInterface {
  name = 'OptOuts1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE opt_outs (
        id text PRIMARY KEY,
        project_id text NOT NULL,
        phone text NOT NULL,
        sender text,
        source text NOT NULL,
        keyword text,
        message_id text,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT opt_outs_project_id_fkey FOREIGN KEY (project_id) REFERENCES projects(id) ON DELETE RESTRICT
      )`);
    await q.query(`CREATE UNIQUE INDEX opt_outs_project_phone_sender_key ON opt_outs (project_id, phone, sender) NULLS NOT DISTINCT`);
    await q.query(`CREATE INDEX opt_outs_project_created_idx ON opt_outs (project_id, created_at, id)`);
    await q.query(`
      CREATE TABLE project_messaging_settings (
        project_id text PRIMARY KEY,
        opt_out_scope text NOT NULL DEFAULT 'sender',
        help_text text,
        stop_confirmation text,
        start_confirmation text,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT project_messaging_settings_project_id_fkey FOREIGN KEY (project_id) REFERENCES projects(id) ON DELETE RESTRICT
      )`);
    await q.query(`ALTER TABLE messages ADD COLUMN keyword_action text, ADD COLUMN system_reply boolean NOT NULL DEFAULT false`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE messages DROP COLUMN system_reply, DROP COLUMN keyword_action`);
    await q.query(`DROP TABLE project_messaging_settings`);
    await q.query(`DROP TABLE opt_outs`);
  }
}
