import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Several Asterisk servers and orchestrator replicas: `calls.ari_server` names the ARI server (its
 * `ARI_SERVERS` name) carrying a call's channels, so reconciliation asks that server and inspection
 * shows it; `orchestrator_roles` are leases on roles one replica holds at a time (taking the
 * inbound Stasis application of a server).
 */
export class AriServers1764000000000 implements MigrationInterface {
  name = 'AriServers1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE calls ADD COLUMN ari_server text`);
    // Channel ids are unique per Asterisk server only (an inbound channel gets its server's own id).
    await q.query(`DROP INDEX calls_channel_id_key`);
    await q.query(`CREATE UNIQUE INDEX calls_server_channel_key ON calls (ari_server, channel_id)`);
    await q.query(`CREATE TABLE orchestrator_roles (role text PRIMARY KEY, owner text NOT NULL, expires_at timestamptz NOT NULL)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE orchestrator_roles`);
    await q.query(`DROP INDEX calls_server_channel_key`);
    await q.query(`CREATE UNIQUE INDEX calls_channel_id_key ON calls (channel_id)`);
    await q.query(`ALTER TABLE calls DROP COLUMN ari_server`);
  }
}
