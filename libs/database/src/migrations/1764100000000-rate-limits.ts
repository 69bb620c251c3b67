import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Per-project rate limits set by the operator (`PUT /admin/projects/{id}/rate-limits`):
 * `projects.rate_limits` maps an endpoint class to `{per_key, per_project, window_s}`; NULL (or a
 * class absent) means the api's defaults (RATE_LIMITS).
 */
export class RateLimits1764100000000 implements MigrationInterface {
  name = 'RateLimits1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE projects ADD COLUMN rate_limits jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE projects DROP COLUMN rate_limits`);
  }
}
