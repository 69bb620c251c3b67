import { DataSource } from 'typeorm';

/** Readiness check of an app's Postgres: a `SELECT 1` through its pool. */
export function postgresCheck(ds: DataSource): { name: string; check: () => Promise<void> } {
  return { name: 'postgres', check: async () => void (await ds.query('SELECT 1')) };
}
