import { MIGRATIONS } from '@gw/database';
import { ScratchDatabase } from '@gw/stack-client';

describe('SQL migrations and entities', () => {
  const db = new ScratchDatabase(process.env.DATABASE_URL!);
  beforeAll(() => db.create());
  afterAll(() => db.drop());

  it('describe the same schema: TypeORM finds nothing to change after the migrations', async () => {
    const sql = await db.ds.driver.createSchemaBuilder().log();
    expect(sql.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('all migrate down and up again cleanly', async () => {
    for (let i = 0; i < MIGRATIONS.length; i++) await db.ds.undoLastMigration({ transaction: 'each' });
    const [{ n }] = await db.ds.query(
      `SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public' AND table_name IN ('messages', 'calls')`,
    );
    expect(n).toBe(0);
    await db.ds.runMigrations({ transaction: 'each' });
    expect((await db.ds.driver.createSchemaBuilder().log()).upQueries).toHaveLength(0);
  });
});
