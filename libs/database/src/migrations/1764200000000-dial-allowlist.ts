import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Per-project dial allowlist set by the operator (`PUT /admin/projects/{id}/dial-allowlist`):
 * `projects.dial_allowlist` is `{e164_prefixes, sip_domains, pjsip_endpoints}` (@gw/calls
 * DialAllowlist); NULL, the default, allows any E.164 number and no SIP URI or PJSIP endpoint.
 */
export class DialAllowlist1764200000000 implements MigrationInterface {
  name = 'DialAllowlist1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE projects ADD COLUMN dial_allowlist jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE projects DROP COLUMN dial_allowlist`);
  }
}
