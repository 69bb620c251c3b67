import { newId } from '@gw/database';
import { ScratchDatabase } from '@gw/stack-client';

/**
 * Registers a scratch database for the calling test file, created (schema migrated) before its
 * tests with one project row, and dropped after them. `projectId` is that project's id.
 */
export function scratchDatabaseWithProject(): { db: ScratchDatabase; projectId: string } {
  const db = new ScratchDatabase(process.env.DATABASE_URL!);
  const projectId = newId('prj');
  beforeAll(async () => {
    await db.create();
    await db.ds.query(`INSERT INTO projects (id, name, webhook_secret) VALUES ($1, 'p', 'whsec_x')`, [projectId]);
  });
  afterAll(() => db.drop());
  return { db, projectId };
}
