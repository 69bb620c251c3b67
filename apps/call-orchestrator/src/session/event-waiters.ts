import type { AriEvent } from '../ari/ari-events';
import { HUNGUP } from '../verbs/session-io';

/** What a wait resolves with: the matching event, HUNGUP when the call's main channel hung up, or 'timeout'. */
export type WaitResult = AriEvent | typeof HUNGUP | 'timeout';

type Waiter = { match: (e: AriEvent) => boolean; resolve: (v: WaitResult) => void };

/** The ARI events one call is waiting for (a PlaybackFinished, a leg's StasisStart ...), each with an optional timeout. */
export class EventWaiters {
  private readonly waiters = new Set<Waiter>();

  /** Number of pending waits. */
  get size(): number {
    return this.waiters.size;
  }

  /** Resolves with the first event that `match`es, or 'timeout' after `timeoutMs` (ms; none when omitted), calling `onTimeout` first. */
  wait(match: (e: AriEvent) => boolean, timeoutMs?: number, onTimeout?: () => void): Promise<WaitResult> {
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | null = null;
      const w: Waiter = {
        match,
        resolve: (v) => {
          if (timer) clearTimeout(timer);
          resolve(v);
        },
      };
      this.waiters.add(w);
      if (timeoutMs !== undefined) {
        timer = setTimeout(() => {
          this.waiters.delete(w);
          onTimeout?.();
          resolve('timeout');
        }, timeoutMs);
      }
    });
  }

  /** Hands `e` to every wait it matches; true when at least one did. */
  dispatch(e: AriEvent): boolean {
    let matched = false;
    for (const w of [...this.waiters]) {
      if (w.match(e)) {
        this.waiters.delete(w);
        matched = true;
        w.resolve(e);
      }
    }
    return matched;
  }

  /** Ends every pending wait with HUNGUP. */
  releaseAll(): void {
    for (const w of [...this.waiters]) {
      this.waiters.delete(w);
      w.resolve(HUNGUP);
    }
  }
}
