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

  async drop(): Promise<void> {
    if (this.ds?.isInitialized) await this.ds.destroy();
    await this.admin(`DROP DATABASE IF EXISTS ${this.name} WITH (FORCE)`);
  }

  private async admin(sql: string): Promise<void> {
    const c = new Client({ connectionString: this.baseUrl });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  }
}
