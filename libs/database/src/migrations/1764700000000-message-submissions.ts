import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Which connector carried each attempt of an MT. `message_submissions` holds one row per attempt
 * on a connector: `outcome` submitting (handed over, answer pending), submitted (the carrier took
 * it; `provider_message_id` correlates its receipt, `part_ids` lists every submit_sm part),
 * not_submitted (the carrier provably did not take it: the next connector of the route may),
 * unknown (the answer never came: only this connector may be tried again), rejected (permanent).
 * The unique index finds the message of an SMPP receipt by (connector, receipted id).
 * `messages.connector_id` is the connector that carries the message now; status events record
 * the connector of the attempt they belong to.
 */
export class MessageSubmissions1764700000000 implements MigrationInterface {
  name = 'MessageSubmissions1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE message_submissions (
        id text PRIMARY KEY,
        message_id text NOT NULL,
        attempt integer NOT NULL,
        connector_id text NOT NULL,
        outcome text NOT NULL,
        provider_message_id text,
        part_ids text[],
        error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT message_submissions_message_id_fkey FOREIGN KEY (message_id) REFERENCES messages(id) ON DELETE RESTRICT,
        CONSTRAINT message_submissions_outcome_check CHECK (outcome IN ('submitting', 'submitted', 'not_submitted', 'unknown', 'rejected'))
      )`);
    await q.query(`CREATE INDEX message_submissions_message_idx ON message_submissions (message_id, attempt)`);
    await q.query(
      `CREATE UNIQUE INDEX message_submissions_provider_key ON message_submissions (connector_id, provider_message_id) WHERE provider_message_id IS NOT NULL`,
    );
    await q.query(`ALTER TABLE messages ADD COLUMN connector_id text`);
    await q.query(`ALTER TABLE message_status_events ADD COLUMN connector_id text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE message_status_events DROP COLUMN connector_id`);
    await q.query(`ALTER TABLE messages DROP COLUMN connector_id`);
    await q.query(`DROP TABLE message_submissions`);
  }
}
