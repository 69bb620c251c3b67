import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * API key lifecycle and webhook secret rotation:
 * - `api_keys.name` (a label), `scopes` (NULL = every scope), `expires_at` (NULL = never; a
 *   rotated key expires at the end of its overlap);
 * - `projects.webhook_secret_previous` and its `..._expires_at`: after a rotation, callbacks are
 *   signed with both secrets until then (Standard Webhooks allows several `v1,` signatures).
 */
export class KeyLifecycle1764160000000 implements MigrationInterface {
  name = 'KeyLifecycle1764160000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE api_keys ADD COLUMN name text, ADD COLUMN scopes text[], ADD COLUMN expires_at timestamptz`);
    await q.query(
      `ALTER TABLE projects ADD COLUMN webhook_secret_previous text, ADD COLUMN webhook_secret_previous_expires_at timestamptz`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE projects DROP COLUMN webhook_secret_previous, DROP COLUMN webhook_secret_previous_expires_at`);
    await q.query(`ALTER TABLE api_keys DROP COLUMN name, DROP COLUMN scopes, DROP COLUMN expires_at`);
  }
}
