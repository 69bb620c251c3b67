import { Job, Queue, QueueEvents } from 'bullmq';
import { createRetryingWorker, deadLetterQueueName, DeadLetterRepository, redisConnection, retryJobOptions } from '@gw/queues';

interface TestJob {
  project_id: string;
  n: number;
}

/**
 * Dead letters of a real retrying worker on real Redis (a queue of this process alone): listed
 * newest first and filtered, read with their attempt history, replayed under the same job id
 * (processed once more), purged.
 */
describe('DeadLetterRepository (real Redis)', () => {
  const connection = redisConnection(process.env.REDIS_URL!);
  const name = `dl-test-${process.pid}`;
  const queue = new Queue<TestJob>(name, { connection });
  const events = new QueueEvents(name, { connection });
  const policy = { attempts: 2, backoffMs: 10 };
  let receiverUp = false;
  const processed: string[] = [];
  const { worker, deadLetters } = createRetryingWorker<TestJob>({
    queue: name,
    connection,
    concurrency: 4,
    policy,
    process: async (job) => {
      if (!receiverUp) throw new Error(`receiver answered 500 for ${job.data.n}`);
      processed.push(job.id!);
    },
    onGiveUp: async () => undefined,
  });
  const repo = new DeadLetterRepository(process.env.REDIS_URL!, [name], 10);

  /** Adds the jobs in order and waits until each is dead-lettered. */
  async function deadLetter(jobs: Array<{ id: string; data: TestJob }>): Promise<void> {
    for (const { id, data } of jobs) {
      const job = await queue.add('t', data, retryJobOptions(policy, id));
      await job.waitUntilFinished(events, 10000);
    }
  }

  beforeAll(async () => {
    await events.waitUntilReady();
    await deadLetter([
      { id: 'a', data: { project_id: 'prj_one', n: 1 } },
      { id: 'b', data: { project_id: 'prj_two', n: 2 } },
      { id: 'c', data: { project_id: 'prj_one', n: 3 } },
      { id: 'd', data: { project_id: 'prj_one', n: 4 } },
    ]);
  });

  afterAll(async () => {
    await worker.close();
    await repo.close();
    await deadLetters.obliterate({ force: true });
    await queue.obliterate({ force: true });
    await Promise.all([deadLetters.close(), queue.close(), events.close()]);
  });

  it('lists dead letters newest first, by pages and filtered by the original data', async () => {
    const first = await repo.list(name, 0, 3);
    expect(first.data.map((d) => d.id)).toEqual(['d', 'c', 'b']);
    expect(first.data[0]).toMatchObject({
      queue: name,
      data: { project_id: 'prj_one', n: 4 },
      reason: 'receiver answered 500 for 4',
      attempts: 2,
    });
    expect(Date.parse(first.data[0]!.failed_at)).not.toBeNaN();
    expect(first.next_offset).toBe(3);
    expect(await repo.list(name, 3, 3)).toEqual({ data: [expect.objectContaining({ id: 'a' })], next_offset: null });

    const one = (data: unknown) => (data as TestJob).project_id === 'prj_one';
    const filtered = await repo.list(name, 0, 2, one);
    expect(filtered.data.map((d) => d.id)).toEqual(['d', 'c']);
    expect(filtered.next_offset).toBe(2);
    expect((await repo.list(name, 2, 2, one)).data.map((d) => d.id)).toEqual(['a']);
    expect(await repo.ids(name, one)).toEqual(['d', 'c', 'a']);
  });

  it('reads one dead letter with the failed attempts BullMQ kept', async () => {
    const got = await repo.get(name, 'b');
    expect(got?.record).toMatchObject({ id: 'b', reason: 'receiver answered 500 for 2' });
    expect(got?.history).toMatchObject({ state: 'completed', attempts_made: 2, failed_reason: 'receiver answered 500 for 2' });
    expect(got?.history?.stacktrace).toHaveLength(1);
    expect(got?.history?.stacktrace[0]).toMatch(/receiver answered 500 for 2/);
    expect(await repo.get(name, 'nope')).toBeNull();
  });

  it('replays under the same job id, once, and takes the dead letter off the dead-letter queue', async () => {
    receiverUp = true;
    const outcome = await repo.replay(name, ['c', 'zz']);
    expect(outcome).toEqual({ done: ['c'], missing: ['zz'] });
    const job = (await queue.getJob('c')) as Job<TestJob>;
    await job.waitUntilFinished(events, 10000);
    expect(processed).toEqual(['c']);
    expect(await deadLetters.getJob('c')).toBeUndefined();
    expect(await repo.replay(name, ['c'])).toEqual({ done: [], missing: ['c'] });
    expect(processed).toEqual(['c']);
  });

  it('adds a replay anew under the same id when BullMQ no longer keeps the original job', async () => {
    await queue.remove('d');
    expect(await repo.replay(name, ['d'])).toEqual({ done: ['d'], missing: [] });
    const job = (await queue.getJob('d')) as Job<TestJob>;
    expect(job.opts.attempts).toBe(2);
    await job.waitUntilFinished(events, 10000);
    expect(processed).toEqual(['c', 'd']);
  });

  it('purges dead letters, leaving the original jobs alone', async () => {
    expect(await repo.purge(name, ['a', 'b', 'c'])).toEqual({ done: ['a', 'b'], missing: ['c'] });
    expect(await deadLetters.getWaitingCount()).toBe(0);
    expect(await queue.getJob('a')).toBeDefined();
    expect(await repo.list(name, 0, 20)).toEqual({ data: [], next_offset: null });
    expect(deadLetterQueueName(name)).toBe(`${name}.dlq`);
  });
});
