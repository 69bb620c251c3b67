import { MigrationInterface, QueryRunner } from 'typeorm';

/** Lets the workers' retention sweep find expired processed_events rows without scanning the table. */
export class Retention1763900000000 implements MigrationInterface {
  name = 'Retention1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX processed_events_processed_at_idx ON processed_events (processed_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX processed_events_processed_at_idx`);
  }
}
