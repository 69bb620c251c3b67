import { recordStatus } from '@gw/sms';
import { eventually } from '@gw/stack-client';
import { SubmitMessageUseCase } from '../../apps/sms-connector/src/submit-message.usecase';
import { answeredIn, SubmitWindow } from '../../apps/sms-connector/src/submit-window';
import { insertQueuedMessage, scratchDatabaseWithProject } from '../support/integration';
import { RecordingAdapter, staticRouting, unlimited } from '../support/routing';

describe('the submit window holds messages in the gateway until the SMSC answers (real Postgres)', () => {
  const { db, projectId } = scratchDatabaseWithProject();
  const queuedMessage = () => insertQueuedMessage(db, projectId);

  const statusOf = async (id: string): Promise<string> => (await db.ds.query(`SELECT status FROM messages WHERE id = $1`, [id]))[0].status;

  it('submits `size` messages, keeps the next one queued, and submits it once a level-1 DLR marked one sent', async () => {
    const connector = new RecordingAdapter('conn_accepting');
    const window = new SubmitWindow({ size: 2, ttlMs: 60_000, refreshMs: 20, answered: answeredIn(db.ds) });
    const submitted = () => connector.calls.map((c) => c.messageId);
    const dlr = { baseUrl: 'http://127.0.0.1:1', secret: 's'.repeat(40) };
    const useCase = new SubmitMessageUseCase(db.ds, staticRouting([connector]), unlimited, dlr, window);
    const ids = [await queuedMessage(), await queuedMessage(), await queuedMessage()];
    try {
      const jobs = ids.map((id) => useCase.submit({ message_id: id }));
      await eventually(async () => (submitted().length === 2 ? true : undefined), 5_000, 'two submissions');
      await new Promise((r) => setTimeout(r, 300));
      expect(submitted()).toHaveLength(2);
      const held = ids.find((id) => !submitted().includes(id))!;
      expect(await statusOf(held)).toBe('queued');

      await recordStatus(db.ds.manager, { messageId: submitted()[0]!, status: 'sent', source: 'dlr', description: 'ESME_ROK' });
      expect(await Promise.all(jobs)).toEqual(['submitted', 'submitted', 'submitted']);
      expect(submitted()[2]).toBe(held);
      expect(await statusOf(held)).toBe('sending');
    } finally {
      window.close();
    }
  });
});
