import { TERMINAL } from '@gw/stack-client';
import { E2e, eventually, stack, TestProject, uniqueNumber } from '../support/e2e';

/**
 * Failure paths with the real services: Jasmin stopped and restarted, Jasmin down past the last
 * attempt, and a callback receiver that keeps failing. The apps run with the short retry
 * policy that scripts/test.sh sets (SUBMIT_ATTEMPTS, SUBMIT_BACKOFF_MS, CALLBACK_*).
 */
describe('SMS failure handling', () => {
  const t = new E2e();
  let p: TestProject;

  beforeAll(async () => {
    await t.start();
    p = await t.project('failures');
  });
  afterAll(async () => {
    try {
      await stack('up', 'jasmin');
    } finally {
      await t.stop();
    }
  });

  it('retries while Jasmin is down and delivers once it is back', async () => {
    const to = uniqueNumber();
    await stack('stop', 'jasmin');
    const msg = await p.gw.send({ to, from: 'ACME', body: 'survives a Jasmin restart' });
    await eventually(async () => ((await p.gw.message(msg.id)).status === 'sending' ? true : undefined), 15000, 'first attempt');
    await new Promise((r) => setTimeout(r, 1500));
    await stack('start', 'jasmin');
    const final = await p.gw.waitFor(msg.id, (m) => TERMINAL.has(m.status), 90000);
    expect(final.status).toBe('delivered');
    expect(await t.smsc.messages(to)).toHaveLength(1);
    const job = await t.queue('sms-submit').getJob(msg.id);
    expect(job?.attemptsMade).toBeGreaterThanOrEqual(2);
    expect(job?.failedReason).toMatch(/jasmin unreachable/);
    expect(job?.finishedOn).toBeDefined();
  });

  it('dead-letters the submission and fails the message when Jasmin stays down past the last attempt', async () => {
    await stack('stop', 'jasmin');
    const msg = await p.gw.send({ to: uniqueNumber(), from: 'ACME', body: 'never leaves' });
    const final = await p.gw.waitFor(msg.id, (m) => TERMINAL.has(m.status), 120000);
    expect(final).toMatchObject({ status: 'failed', error_code: 'retries_exhausted' });
    expect(final.error_message).toMatch(/jasmin unreachable/);
    const dead = await t.queue('sms-submit.dlq').getJob(msg.id);
    expect(dead?.data).toMatchObject({ data: { message_id: msg.id }, queue: 'sms-submit' });
    await stack('start', 'jasmin');
  });

  it('retries a failing callback receiver, then dead-letters the callback', async () => {
    const down = await t.project('receiver-down');
    down.receiver.respondWith = 500;
    const msg = await down.gw.send({ to: uniqueNumber(), from: 'ACME', body: 'nobody listens' });
    await down.gw.waitFor(msg.id, (m) => m.status === 'delivered', 60000);
    const attempts = Number(process.env.CALLBACK_ATTEMPTS ?? 3);
    const eventIds = (
      await t.db.query<{ event_id: string }>(`SELECT event_id FROM outbox WHERE key = $1 AND type = 'message.status_changed'`, [msg.id])
    ).rows.map((r) => r.event_id);
    expect(eventIds.length).toBeGreaterThanOrEqual(3);
    const dlq = t.queue('callbacks.dlq');
    const dead = await eventually(
      async () => {
        const jobs = await Promise.all(eventIds.map((id) => dlq.getJob(id)));
        return jobs.every(Boolean) ? jobs : undefined;
      },
      60000,
      'every callback dead-lettered',
    );
    expect(dead.map((j) => j!.data.attempts)).toEqual(eventIds.map(() => attempts));
    expect(down.receiver.attempts).toBe(attempts * eventIds.length);
    expect(down.receiver.received).toHaveLength(0);
  });
});
