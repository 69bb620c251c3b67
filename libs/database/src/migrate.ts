import { createDataSource } from './data-source';

/**
 * Runs pending SQL migrations against DATABASE_URL; exits non-zero on failure.
 * Usage: `node dist/libs/database/src/migrate.js`.
 */
async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set');
  const ds = await createDataSource({ url, applicationName: 'migrate' }).initialize();
  try {
    const ran = await ds.runMigrations({ transaction: 'each' });
    process.stdout.write(JSON.stringify({ msg: 'migrations applied', applied: ran.map((m) => m.name) }) + '\n');
  } finally {
    await ds.destroy();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`migration failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
