import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sender-id ownership and per-number SMS routing. `sender_ids` holds the alphanumeric sender ids
 * (3GPP TS 23.040 section 9.1.2.5, TP-OA alphanumeric: 1-11 characters) the operator granted a
 * project; the same sender id may be granted to several projects (brand names are not unique across
 * carriers or tenants), once per project. Its unique index serves the MT check
 * `project_id = $1 AND sender_id = $2` as one index probe. `phone_numbers.sms_callback_url` is where
 * MO (inbound) SMS to the number are called back; NULL means the project's `default_callback_url`.
 */
export class SenderIds1764300000000 implements MigrationInterface {
  name = 'SenderIds1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE sender_ids (
        id text PRIMARY KEY,
        project_id text NOT NULL,
        sender_id text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT sender_ids_project_id_fkey FOREIGN KEY (project_id) REFERENCES projects(id) ON DELETE RESTRICT
      )`);
    await q.query(`CREATE UNIQUE INDEX sender_ids_project_sender_key ON sender_ids (project_id, sender_id)`);
    await q.query(`ALTER TABLE phone_numbers ADD COLUMN sms_callback_url text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE phone_numbers DROP COLUMN sms_callback_url`);
    await q.query(`DROP TABLE sender_ids`);
  }
}
