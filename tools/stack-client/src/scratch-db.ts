import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { createDataSource } from '@gw/database';

/**
 * A throwaway database on the stack's Postgres server, migrated with the project's migrations, so
 * an integration test or a benchmark owns every row (the running apps use the main database).
 */
export class ScratchDatabase {
  readonly name: string;
  readonly url: string;
  ds!: DataSource;

  constructor(
    private readonly baseUrl: string,
    prefix = 'gw_it',
  ) {
    this.name = `${prefix}_${randomBytes(6).toString('hex')}`;
    const u = new URL(baseUrl);
    u.pathname = `/${this.name}`;
    this.url = u.toString();
  }

  async create(migrate = true): Promise<DataSource> {
    await this.admin(`CREATE DATABASE ${this.name}`);
    this.ds = await createDataSource({ url: this.url, applicationName: 'integration-test' }).initialize();
    if (migrate) await this.ds.runMigrations({ transaction: 'each' });
    return this.ds;
  }

  /**
   * Ends the sessions still connected (a killed app's pool) and drops the database. Not `WITH
   * (FORCE)`: that refuses when an autovacuum worker is busy in it, which plain DROP DATABASE
   * stops by itself.
   */
  async drop(): Promise<void> {
    if (this.ds?.isInitialized) await this.ds.destroy();
    await this.admin(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE datname = '${this.name}' AND backend_type = 'client backend' AND pid <> pg_backend_pid()`,
      `DROP DATABASE IF EXISTS ${this.name}`,
    );
  }

  private async admin(...statements: string[]): Promise<void> {
    const c = new Client({ connectionString: this.baseUrl });
    await c.connect();
    try {
      for (const sql of statements) await c.query(sql);
    } finally {
      await c.end();
    }
  }
}
