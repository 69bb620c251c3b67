import { randomUUID } from 'node:crypto';
import type { SmsConnector, SubmitRequest } from '@gw/connectors';
import { newId } from '@gw/database';
import { recordStatus } from '@gw/sms';
import { eventually, ScratchDatabase } from '@gw/stack-client';
import { SubmitMessageUseCase } from '../../apps/sms-connector/src/submit-message.usecase';
import { answeredIn, SubmitWindow } from '../../apps/sms-connector/src/submit-window';

/** Accepts every submission, as Jasmin's `/send` does; records the order. */
class AcceptingConnector implements SmsConnector {
  readonly name = 'accepting';
  readonly submitted: string[] = [];
  async submit(req: SubmitRequest) {
    this.submitted.push(req.messageId);
    return { providerMessageId: randomUUID() };
  }
}

describe('the submit window holds messages in the gateway until the SMSC answers (real Postgres)', () => {
  const db = new ScratchDatabase(process.env.DATABASE_URL!);
  let projectId: string;

  beforeAll(async () => {
    await db.create();
    projectId = newId('prj');
    await db.ds.query(`INSERT INTO projects (id, name, webhook_secret) VALUES ($1, 'p', 'whsec_x')`, [projectId]);
  });
  afterAll(() => db.drop());

  async function queuedMessage(): Promise<string> {
    const id = newId('msg');
    await db.ds.query(
      `INSERT INTO messages (id, project_id, direction, to_number, from_number, body, encoding, segments, status)
       VALUES ($1, $2, 'outbound', '+14155550100', 'ACME', 'hi', 'GSM-7', 1, 'queued')`,
      [id, projectId],
    );
    return id;
  }

  const statusOf = async (id: string): Promise<string> => (await db.ds.query(`SELECT status FROM messages WHERE id = $1`, [id]))[0].status;

  it('submits `size` messages, keeps the next one queued, and submits it once a level-1 DLR marked one sent', async () => {
    const connector = new AcceptingConnector();
    const window = new SubmitWindow({ size: 2, ttlMs: 60_000, refreshMs: 20, answered: answeredIn(db.ds) });
    const useCase = new SubmitMessageUseCase(db.ds, connector, { baseUrl: 'http://127.0.0.1:1', secret: 's'.repeat(40) }, window);
    const [a, b, c] = [await queuedMessage(), await queuedMessage(), await queuedMessage()];

    const jobs = [a, b, c].map((id) => useCase.submit({ message_id: id }));
    await eventually(async () => (connector.submitted.length === 2 ? true : undefined), 5_000, 'two submissions');
    await new Promise((r) => setTimeout(r, 300));
    expect(connector.submitted).toEqual([a, b]);
    expect(await statusOf(c)).toBe('queued');

    await recordStatus(db.ds.manager, { messageId: a, status: 'sent', source: 'dlr', description: 'ESME_ROK' });
    expect(await Promise.all(jobs)).toEqual(['submitted', 'submitted', 'submitted']);
    expect(connector.submitted).toEqual([a, b, c]);
    expect(await statusOf(c)).toBe('sending');
    window.close();
  });
});
