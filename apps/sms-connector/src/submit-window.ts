import { DataSource } from 'typeorm';

/** Settings of a SubmitWindow; `answered` tells which of the given message ids are no longer `sending`. */
export interface SubmitWindowOptions {
  /** Most messages handed over and not yet answered by the SMSC; 0 turns the window off. */
  size: number;
  /** A handed-over message stops counting after this long (ms) even without an answer, so a lost DLR cannot shrink the window for good. */
  ttlMs: number;
  /** How often (ms) a full window asks `answered` which of its messages the SMSC has answered. */
  refreshMs: number;
  answered: (messageIds: string[]) => Promise<string[]>;
  /** Called when `answered` fails; the window then stays as it is until the next poll or the TTL. */
  onError?: (err: unknown) => void;
  now?: () => number;
}

/**
 * Flow control toward the SMS gateway: at most `size` messages handed to Jasmin by this process
 * whose submit_sm the SMSC has not answered yet. Jasmin's `/send` accepts as fast as it is called
 * and queues in RabbitMQ, while its SMPP client sends one submit_sm at a time; a burst would
 * otherwise sit in Jasmin's queue, shown as `sending` while it waits, and compete with Jasmin's
 * own SMPP loop for the CPU. With the window, the backlog waits in the gateway (still `queued`)
 * and is handed over as fast as the SMSC answers.
 *
 * The SMSC's answer is the level-1 DLR (asked for by dlr-level=3; Jasmin HTTP API docs, "Receiving
 * DLR"), which webhook-ingress records as `sent` or `failed` (Kannel: its type 8 or 16 DLR; a
 * direct SMPP bind: its submit_sm_resp, recorded as the submit returns): a message counts as in
 * flight while its status is still `sending`. When the window is full, waiters poll `answered` every
 * `refreshMs`, so one process hands over at most about size / (level-1 DLR round trip +
 * refreshMs / 2) messages per second; while no DLRs arrive at all (webhook-ingress down), at most
 * `size` per `ttlMs`. The window is per process: N connector replicas hand over at most N × size.
 *
 * Use: `const slot = await window.acquire()`, then `slot.handedOver(messageId)` once Jasmin took
 * the message, or `slot.release()` when it did not.
 */
export class SubmitWindow {
  private readonly inFlight = new Map<string, number>();
  private reserved = 0;
  private readonly waiters: Array<() => void> = [];
  /** A poll is scheduled or running; at most one at a time. */
  private polling = false;
  private timer?: NodeJS.Timeout;
  private closed = false;
  private readonly now: () => number;

  constructor(private readonly opts: SubmitWindowOptions) {
    this.now = opts.now ?? Date.now;
  }

  /** A window that never makes anyone wait. */
  static off(): SubmitWindow {
    return new SubmitWindow({ size: 0, ttlMs: 0, refreshMs: 0, answered: async () => [] });
  }

  /** Messages counted against the window: handed over and unanswered, plus slots being submitted. */
  get used(): number {
    return this.inFlight.size + this.reserved;
  }

  /** Resolves with a slot once the window has room (at once when it is off or closed). */
  async acquire(): Promise<WindowSlot> {
    const free = this.opts.size === 0 || this.closed || (this.used < this.opts.size && this.waiters.length === 0);
    if (free) this.reserved++;
    else
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        this.scheduleRefresh(0);
      });
    let done = false;
    const finish = (messageId?: string) => {
      if (done) return;
      done = true;
      this.reserved--;
      if (messageId !== undefined && this.opts.size > 0) this.inFlight.set(messageId, this.now());
      this.wake();
    };
    return { handedOver: (messageId) => finish(messageId), release: () => finish() };
  }

  /** Lets every waiter through and stops polling (shutdown: the jobs already running finish). */
  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.wake();
  }

  /** Hands free places to waiters in arrival order; the place is reserved before the waiter resumes. */
  private wake(): void {
    while (this.waiters.length > 0 && (this.closed || this.used < this.opts.size)) {
      this.reserved++;
      this.waiters.shift()!();
    }
  }

  private scheduleRefresh(delayMs: number): void {
    if (this.polling || this.closed) return;
    this.polling = true;
    this.timer = setTimeout(() => void this.refresh(), delayMs);
  }

  private async refresh(): Promise<void> {
    try {
      const oldest = this.now() - this.opts.ttlMs;
      for (const [id, at] of this.inFlight) if (at < oldest) this.inFlight.delete(id);
      const ids = [...this.inFlight.keys()];
      if (ids.length > 0) for (const id of await this.opts.answered(ids)) this.inFlight.delete(id);
    } catch (err) {
      this.opts.onError?.(err);
    }
    this.polling = false;
    this.wake();
    if (this.waiters.length > 0) this.scheduleRefresh(this.opts.refreshMs);
  }
}

/** One place in a SubmitWindow; exactly one of its methods takes effect. */
export interface WindowSlot {
  /** Jasmin accepted the message: it counts until the SMSC answers (or the TTL passes). */
  handedOver(messageId: string): void;
  /** The message was not handed over: the place is free again. */
  release(): void;
}

/** `answered` over Postgres: the ids among `messageIds` whose status moved on from `sending`. */
export function answeredIn(ds: DataSource): (messageIds: string[]) => Promise<string[]> {
  return async (messageIds) => {
    const rows: Array<{ id: string }> = await ds.query(`SELECT id FROM messages WHERE id = ANY($1::text[]) AND status <> 'sending'`, [
      messageIds,
    ]);
    return rows.map((r) => r.id);
  };
}
