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

/** Inserts an outbound GSM-7 message in status `queued` for `projectId`, as the api accepts it; returns its id. */
export async function insertQueuedMessage(db: ScratchDatabase, projectId: string): Promise<string> {
  const id = newId('msg');
  await db.ds.query(
    `INSERT INTO messages (id, project_id, direction, to_number, from_number, body, encoding, segments, status)
     VALUES ($1, $2, 'outbound', '+14155550100', 'ACME', 'hi', 'GSM-7', 1, 'queued')`,
    [id, projectId],
  );
  return id;
}
