import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The admin audit log: one row per administrative action (key created or revoked, limits set,
 * number released, subscriber erased ...): who (`actor`: `operator`, `key:<prefix>` or
 * `jwt:<sub>`), what (`action`, `target`, `detail`), when (`created_at`) and from where (`ip`,
 * `user_agent`). Rows are only ever inserted.
 */
export class AuditLog1764150000000 implements MigrationInterface {
  name = 'AuditLog1764150000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE admin_audit_log (
        id text PRIMARY KEY,
        created_at timestamptz NOT NULL DEFAULT now(),
        actor text NOT NULL,
        project_id text,
        action text NOT NULL,
        target text,
        detail jsonb NOT NULL,
        ip text,
        user_agent text
      )`);
    await q.query(`CREATE INDEX admin_audit_log_created_at_idx ON admin_audit_log (created_at, id)`);
    await q.query(`CREATE INDEX admin_audit_log_project_created_at_idx ON admin_audit_log (project_id, created_at, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE admin_audit_log`);
  }
}
