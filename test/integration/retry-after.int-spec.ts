import { Queue, QueueEvents } from 'bullmq';
import { createRetryingWorker, redisConnection, RetryableError, retryJobOptions } from '@gw/queues';

/** BullMQ retries on real Redis: a carrier's retry-after replaces the policy's exponential backoff. */
describe('retrying worker backoff (real Redis)', () => {
  const connection = redisConnection(process.env.REDIS_URL!);
  const name = `retry-after-test-${process.pid}`;
  const queue = new Queue<{ retryAfterMs?: number }>(name, { connection });
  const events = new QueueEvents(name, { connection });
  const policy = { attempts: 2, backoffMs: 5000 };
  const attempts = new Map<string, number[]>();
  const { worker, deadLetters } = createRetryingWorker<{ retryAfterMs?: number }>({
    queue: name,
    connection,
    concurrency: 2,
    policy,
    process: async (job) => {
      const seen = attempts.get(job.id!) ?? [];
      seen.push(Date.now());
      attempts.set(job.id!, seen);
      if (seen.length === 1) throw new RetryableError('throttled', job.data.retryAfterMs);
    },
    onGiveUp: async () => undefined,
  });
  afterAll(async () => {
    await worker.close();
    await queue.obliterate({ force: true });
    await deadLetters.obliterate({ force: true });
    await Promise.all([queue.close(), deadLetters.close(), events.close()]);
  });

  it("retries after the error's retryAfterMs, not the policy's backoff", async () => {
    const job = await queue.add('t', { retryAfterMs: 100 }, retryJobOptions(policy, 'with-retry-after'));
    await job.waitUntilFinished(events, 4000);
    const [first, second] = attempts.get('with-retry-after')!;
    expect(second! - first!).toBeGreaterThanOrEqual(100);
    expect(second! - first!).toBeLessThan(2000);
  });

  it('keeps the policy backoff for an error without one', async () => {
    await queue.add('t', {}, retryJobOptions(policy, 'policy-backoff'));
    await new Promise((r) => setTimeout(r, 2000));
    expect(attempts.get('policy-backoff')).toHaveLength(1);
  });
});
