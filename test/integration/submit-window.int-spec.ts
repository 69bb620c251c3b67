import { randomUUID } from 'node:crypto';
import type { SmsConnector, SubmitRequest } from '@gw/connectors';
import { recordStatus } from '@gw/sms';
import { eventually } from '@gw/stack-client';
import { SubmitMessageUseCase } from '../../apps/sms-connector/src/submit-message.usecase';
import { answeredIn, SubmitWindow } from '../../apps/sms-connector/src/submit-window';
import { insertQueuedMessage, scratchDatabaseWithProject } from '../support/integration';

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
  const { db, projectId } = scratchDatabaseWithProject();
  const queuedMessage = () => insertQueuedMessage(db, projectId);

  const statusOf = async (id: string): Promise<string> => (await db.ds.query(`SELECT status FROM messages WHERE id = $1`, [id]))[0].status;

  it('submits `size` messages, keeps the next one queued, and submits it once a level-1 DLR marked one sent', async () => {
    const connector = new AcceptingConnector();
    const window = new SubmitWindow({ size: 2, ttlMs: 60_000, refreshMs: 20, answered: answeredIn(db.ds) });
    const useCase = new SubmitMessageUseCase(db.ds, connector, { baseUrl: 'http://127.0.0.1:1', secret: 's'.repeat(40) }, window);
    const ids = [await queuedMessage(), await queuedMessage(), await queuedMessage()];
    try {
      const jobs = ids.map((id) => useCase.submit({ message_id: id }));
      await eventually(async () => (connector.submitted.length === 2 ? true : undefined), 5_000, 'two submissions');
      await new Promise((r) => setTimeout(r, 300));
      expect(connector.submitted).toHaveLength(2);
      const held = ids.find((id) => !connector.submitted.includes(id))!;
      expect(await statusOf(held)).toBe('queued');

      await recordStatus(db.ds.manager, { messageId: connector.submitted[0]!, status: 'sent', source: 'dlr', description: 'ESME_ROK' });
      expect(await Promise.all(jobs)).toEqual(['submitted', 'submitted', 'submitted']);
      expect(connector.submitted[2]).toBe(held);
      expect(await statusOf(held)).toBe('sending');
    } finally {
      window.close();
    }
  });
});
