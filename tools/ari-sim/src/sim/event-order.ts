/**
 * Delayed delivery that keeps order per key (realistic mode's event jitter). Each event names
 * the keys whose order it must keep (its channel, a playback's target channel, its bridge); it
 * is delivered no earlier than its own delay and no earlier than the last pending event of any
 * of its keys, so events of one channel stay in order while events of different channels may
 * overtake each other, as Asterisk's per-topic delivery allows.
 */

interface Pending {
  due: number;
  seq: number;
  keys: string[];
  run: () => void;
}

/** A FIFO chain per key over one timer. */
export class OrderedDelivery {
  private readonly queue: Pending[] = [];
  /** Due time of the last pending item of each key with something pending. */
  private readonly lastDue = new Map<string, number>();
  private readonly pendingCount = new Map<string, number>();
  private seq = 0;
  private timer: NodeJS.Timeout | undefined;

  /**
   * Runs `run` after `delayMs` (ms) and after every pending item sharing one of `keys`. With no
   * delay and nothing pending for its keys it runs at once (plain mode: synchronous delivery).
   */
  schedule(keys: string[], delayMs: number, run: () => void): void {
    if (delayMs <= 0 && !keys.some((k) => this.pendingCount.has(k))) {
      run();
      return;
    }
    let due = Date.now() + Math.max(0, delayMs);
    for (const k of keys) due = Math.max(due, this.lastDue.get(k) ?? 0);
    const item: Pending = { due, seq: this.seq++, keys, run };
    // Sorted by (due, seq): an item never goes before one of its keys' earlier items.
    let at = this.queue.length;
    while (at > 0 && (this.queue[at - 1] as Pending).due > due) at -= 1;
    this.queue.splice(at, 0, item);
    for (const k of keys) {
      this.lastDue.set(k, due);
      this.pendingCount.set(k, (this.pendingCount.get(k) ?? 0) + 1);
    }
    this.arm();
  }

  /** Drops every pending item (shutdown). */
  clear(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.queue.length = 0;
    this.lastDue.clear();
    this.pendingCount.clear();
  }

  private arm(): void {
    clearTimeout(this.timer);
    const first = this.queue[0];
    this.timer = first ? setTimeout(() => this.fire(), Math.max(0, first.due - Date.now())) : undefined;
  }

  private fire(): void {
    const now = Date.now();
    while (this.queue.length > 0 && (this.queue[0] as Pending).due <= now) {
      const item = this.queue.shift() as Pending;
      for (const k of item.keys) {
        const left = (this.pendingCount.get(k) ?? 1) - 1;
        if (left > 0) this.pendingCount.set(k, left);
        else {
          this.pendingCount.delete(k);
          this.lastDue.delete(k);
        }
      }
      item.run();
    }
    this.arm();
  }
}
