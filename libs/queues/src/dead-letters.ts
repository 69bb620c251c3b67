import { Job, Queue } from 'bullmq';
import IORedis, { type Redis } from 'ioredis';
import { redisConnection } from './redis';
import { DeadLetter, deadLetterQueueName, retryJobOptions } from './retrying-worker';
import { queueTelemetry } from './telemetry';

/** One dead letter of a queue: its job id (the original job's id), the original data, the last error, attempts made and when. */
export interface DeadLetterRecord {
  id: string;
  queue: string;
  data: unknown;
  reason: string;
  attempts: number;
  /** ISO-8601. */
  failed_at: string;
}

/**
 * What BullMQ still keeps of the original job (kept `removeOnComplete` / `removeOnFail` long, see
 * retryJobOptions): its state, attempts made, the reason of the last failed attempt and one stack
 * trace per failed attempt (oldest first, up to the worker's `stackTraceLimit`). The attempt that
 * dead-lettered the job completes it, so its own error is the dead letter's `reason`.
 */
export interface AttemptHistory {
  state: string;
  attempts_made: number;
  failed_reason: string | null;
  stacktrace: string[];
  /** ISO-8601, or null while the job is not finished. */
  finished_at: string | null;
}

/** A page of dead letters, newest first; `next_offset` is the list position of the next page (null on the last). */
export interface DeadLetterPage {
  data: DeadLetterRecord[];
  next_offset: number | null;
}

/** Which dead letters a page, replay or purge covers: those whose original data passes `matches` (all when absent). */
export type DeadLetterFilter = (data: unknown) => boolean;

/** Outcome of a replay or purge: the ids acted on, and the asked-for ids the dead-letter queue did not hold. */
export interface DeadLetterOutcome {
  done: string[];
  missing: string[];
}

/** Jobs fetched per Redis round trip while scanning a dead-letter queue. */
const SCAN_CHUNK = 200;
/** Most list positions one page scans: a filtered page over a large queue ends early, with a next offset, rather than reading it all. */
const MAX_PAGE_SCAN = 5000;
/** Job name of a replay added anew (the worker ignores names). */
const REPLAY_JOB = 'replay';

/**
 * The dead-letter queues (`<queue>.dlq`, written by createRetryingWorker) of the named queues, on
 * BullMQ over Redis. A dead letter is a waiting job on a queue no worker consumes, its job id the
 * original job's; newest first is the wait list's own order (BullMQ LPUSHes). Every Redis command
 * is bounded by `timeoutMs` (connecting included) and tried once: an operator's request never hangs.
 */
export class DeadLetterRepository {
  private readonly originals = new Map<string, Queue>();
  private readonly deadLetters = new Map<string, Queue<DeadLetter<unknown>>>();
  private readonly redis: Redis;

  /**
   * `redisUrl` as redisConnection reads it; `replayBackoffMs` (ms): the backoff of a replay whose
   * original job BullMQ no longer keeps (its attempts are the dead letter's); `timeoutMs` (ms).
   */
  constructor(
    redisUrl: string,
    queues: readonly string[],
    private readonly replayBackoffMs: number,
    timeoutMs = 5000,
  ) {
    const connection = { ...redisConnection(redisUrl), maxRetriesPerRequest: 1, connectTimeout: timeoutMs, commandTimeout: timeoutMs };
    this.redis = new IORedis(connection);
    this.redis.on('error', () => undefined); // reported by the commands that fail
    for (const name of queues) {
      // A replayed job is traced under the operator's request.
      const original = new Queue(name, { connection, ...queueTelemetry() });
      const dlq = new Queue<DeadLetter<unknown>>(deadLetterQueueName(name), { connection });
      // Connection errors reach the callers through their commands; unlistened, they would end the process.
      for (const q of [original, dlq]) q.on('error', () => undefined);
      this.originals.set(name, original);
      this.deadLetters.set(name, dlq);
    }
  }

  /** Whether `queue` is one of the queues this repository serves. */
  has(queue: string): boolean {
    return this.originals.has(queue);
  }

  /**
   * Up to `limit` dead letters from list position `offset`, newest first, those passing `matches`.
   * Positions shift as dead letters arrive (at the head) or leave, so a page may repeat or skip one.
   */
  async list(queue: string, offset: number, limit: number, matches?: DeadLetterFilter): Promise<DeadLetterPage> {
    const dlq = await this.reachableDlq(queue);
    const total = await dlq.getWaitingCount();
    const end = Math.min(total, offset + MAX_PAGE_SCAN);
    const data: DeadLetterRecord[] = [];
    let pos = offset;
    while (pos < end && data.length < limit) {
      const jobs = await dlq.getJobs(['wait'], pos, Math.min(end, pos + SCAN_CHUNK) - 1, false);
      if (jobs.length === 0) break;
      for (const job of jobs) {
        pos++;
        if (!matches || matches(job.data.data)) data.push(recordOf(queue, job));
        if (data.length === limit) break;
      }
    }
    return { data, next_offset: pos < total ? pos : null };
  }

  /** Ids of every dead letter of `queue` passing `matches`, newest first. */
  async ids(queue: string, matches?: DeadLetterFilter): Promise<string[]> {
    const dlq = await this.reachableDlq(queue);
    const ids: string[] = [];
    for (let pos = 0; ; pos += SCAN_CHUNK) {
      const jobs = await dlq.getJobs(['wait'], pos, pos + SCAN_CHUNK - 1, false);
      for (const job of jobs) if (!matches || matches(job.data.data)) ids.push(job.id!);
      if (jobs.length < SCAN_CHUNK) return ids;
    }
  }

  /** One dead letter with what BullMQ keeps of its original job's attempts (null when it no longer keeps the job), or null. */
  async get(queue: string, id: string): Promise<{ record: DeadLetterRecord; history: AttemptHistory | null } | null> {
    const dead = await (await this.reachableDlq(queue)).getJob(id);
    if (!dead) return null;
    const original = await this.queue(queue).getJob(id);
    return { record: recordOf(queue, dead), history: original ? await historyOf(original) : null };
  }

  /**
   * Puts each dead letter back on its original queue under the same job id and removes it from the
   * dead-letter queue. The removal comes first and claims the dead letter (see claim), so concurrent replays
   * (or a purge) enqueue it at most once; should the enqueue fail, the dead letter is put back and
   * the error thrown. The original job, when BullMQ still keeps it finished, is retried in place
   * with its attempts reset (its options, retry policy included, are kept); one still waiting,
   * delayed or active is left to run; one BullMQ no longer keeps is added anew with the dead
   * letter's attempts and `replayBackoffMs`.
   */
  async replay(queue: string, ids: readonly string[]): Promise<DeadLetterOutcome> {
    const dlq = await this.reachableDlq(queue);
    const outcome: DeadLetterOutcome = { done: [], missing: [] };
    for (const id of ids) {
      const dead = await dlq.getJob(id);
      if (!dead || !(await this.claim(dlq, id))) {
        outcome.missing.push(id);
        continue;
      }
      try {
        await this.requeue(queue, id, dead.data);
      } catch (err) {
        await dlq.add(dead.name, dead.data, { jobId: id, removeOnComplete: false, removeOnFail: false });
        throw err;
      }
      outcome.done.push(id);
    }
    return outcome;
  }

  /** Removes the dead letters; their original jobs are left as they are. */
  async purge(queue: string, ids: readonly string[]): Promise<DeadLetterOutcome> {
    const dlq = await this.reachableDlq(queue);
    const outcome: DeadLetterOutcome = { done: [], missing: [] };
    for (const id of ids) ((await this.claim(dlq, id)) ? outcome.done : outcome.missing).push(id);
    return outcome;
  }

  async close(): Promise<void> {
    await Promise.all([...this.originals.values(), ...this.deadLetters.values()].map((q) => q.close()));
    this.redis.disconnect();
  }

  /**
   * Takes a dead letter off the dead-letter queue; true for the one caller that took it. The LREM
   * on the wait list is the atomic step (BullMQ's own remove answers 1 for an absent job too).
   */
  private async claim(dlq: Queue<DeadLetter<unknown>>, id: string): Promise<boolean> {
    if ((await this.redis.lrem(dlq.keys.wait!, 0, id)) !== 1) return false;
    await dlq.remove(id);
    return true;
  }

  private async requeue(queue: string, id: string, dead: DeadLetter<unknown>): Promise<void> {
    const original = await this.queue(queue).getJob(id);
    const state = original ? await original.getState() : 'unknown';
    if (original && (state === 'completed' || state === 'failed')) {
      await original.retry(state, { resetAttemptsMade: true, resetAttemptsStarted: true });
      return;
    }
    if (state !== 'unknown') return;
    await this.queue(queue).add(REPLAY_JOB, dead.data, retryJobOptions({ attempts: dead.attempts, backoffMs: this.replayBackoffMs }, id));
  }

  private queue(name: string): Queue {
    const q = this.originals.get(name);
    if (!q) throw new Error(`no dead-letter queue for ${name}`);
    return q;
  }

  /**
   * The dead-letter queue of `name` once Redis answered a PING (within the command timeout): BullMQ
   * itself waits for a connection without a bound, so an unreachable Redis would hang the caller.
   */
  private async reachableDlq(name: string): Promise<Queue<DeadLetter<unknown>>> {
    const dlq = this.dlq(name);
    await this.redis.ping();
    return dlq;
  }

  private dlq(name: string): Queue<DeadLetter<unknown>> {
    const q = this.deadLetters.get(name);
    if (!q) throw new Error(`no dead-letter queue for ${name}`);
    return q;
  }
}

function recordOf(queue: string, job: Job<DeadLetter<unknown>>): DeadLetterRecord {
  return { id: job.id!, queue, data: job.data.data, reason: job.data.reason, attempts: job.data.attempts, failed_at: job.data.failed_at };
}

async function historyOf(job: Job): Promise<AttemptHistory> {
  return {
    state: await job.getState(),
    attempts_made: job.attemptsMade,
    failed_reason: job.failedReason || null,
    stacktrace: job.stacktrace ?? [],
    finished_at: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
  };
}
