import { LRUCache } from 'lru-cache';
import type { EntityManager } from 'typeorm';
import { channelCarries, forbiddenSender, SenderChannel, senderKindOf } from './sender-rules';
import type { NumbersRepository } from './numbers.repository';
import type { SenderIdsRepository } from './sender-ids.repository';

/**
 * How long (ms) a confirmed (project, sender) pair is trusted without asking Postgres again. A
 * release or revocation takes effect at once on the api process that answered it and within this
 * on the others (each api process and replica keeps its own cache).
 */
export const SENDER_CACHE_TTL_MS = 5_000;

/** Most (project, sender) pairs one api process remembers; the least recently used go first. */
const SENDER_CACHE_MAX = 10_000;

/** A monotonic clock in ms (`performance` in production). */
export interface Clock {
  now(): number;
}

/**
 * Sender-id ownership on the MT and call accept paths: a project may send `from` an E.164 number
 * it owns (`phone_numbers`) or, for SMS, an alphanumeric sender id granted to it (`sender_ids`).
 * Only confirmed pairs are cached (SENDER_CACHE_TTL_MS), so the hot path costs a map lookup and a
 * cache miss one indexed lookup; a refusal is never cached, so a number or sender id the operator
 * just assigned or granted is usable at once.
 */
export class SenderPolicy {
  private readonly confirmed: LRUCache<string, true>;

  constructor(
    private readonly numbers: Pick<NumbersRepository, 'isOwned'>,
    private readonly senderIds: Pick<SenderIdsRepository, 'isGranted'>,
    clock: Clock = performance,
  ) {
    this.confirmed = new LRUCache({ max: SENDER_CACHE_MAX, ttl: SENDER_CACHE_TTL_MS, perf: clock, ttlResolution: 0 });
  }

  /**
   * Resolves when `projectId` may use `from` on `channel`. Inside a transaction, pass it as `db`:
   * the lookup then takes no second pool connection.
   * @throws DomainError forbidden (403) naming `from` otherwise.
   */
  async assertMayUse(projectId: string, from: string, channel: SenderChannel, db?: EntityManager): Promise<void> {
    const kind = senderKindOf(from);
    if (!kind || !channelCarries(channel, kind)) throw forbiddenSender(channel, kind);
    // A project id holds no space, so the pair cannot be read two ways ('ACME Bank' has one).
    const key = `${projectId} ${from}`;
    if (this.confirmed.get(key)) return;
    const allowed =
      kind === 'number' ? await this.numbers.isOwned(projectId, from, db) : await this.senderIds.isGranted(projectId, from, db);
    if (!allowed) throw forbiddenSender(channel, kind);
    this.confirmed.set(key, true);
  }

  /** Drops a pair from this process's cache (after a release or revocation it answered). */
  forget(projectId: string, sender: string): void {
    this.confirmed.delete(`${projectId} ${sender}`);
  }
}
