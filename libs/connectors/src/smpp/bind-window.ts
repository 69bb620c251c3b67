/**
 * The submit window of one SMPP bind: how many submit_sm may await their submit_sm_resp at once.
 * On ESME_RTHROTTLED / ESME_RMSGQFUL the effective window halves (at least 1) and the bind pauses
 * for `pauseMs`; every accepted submit_sm then widens it by one again, up to `size` (additive
 * increase, multiplicative decrease, so a throttling SMSC is probed gently).
 */
export class BindWindow {
  /** submit_sm written (or about to be) and not yet answered. */
  outstanding = 0;
  private limit: number;
  private pausedUntil = 0;

  constructor(
    readonly size: number,
    private readonly pauseMs: number,
  ) {
    this.limit = size;
  }

  /** Current effective window. */
  get effective(): number {
    return this.limit;
  }

  /** When a throttling pause ends (epoch ms); 0 when never paused. */
  get resumesAt(): number {
    return this.pausedUntil;
  }

  /** Whether one more submit_sm may be sent at `now` (epoch ms). */
  hasRoom(now: number): boolean {
    return now >= this.pausedUntil && this.outstanding < this.limit;
  }

  take(): void {
    this.outstanding++;
  }

  release(): void {
    this.outstanding = Math.max(0, this.outstanding - 1);
  }

  /** The SMSC throttled at `now`: halve the window and pause. */
  throttled(now: number): void {
    this.limit = Math.max(1, Math.floor(this.limit / 2));
    this.pausedUntil = now + this.pauseMs;
  }

  /** A submit_sm was accepted: widen the window by one, up to its size. */
  accepted(): void {
    this.limit = Math.min(this.size, this.limit + 1);
  }

  /** A fresh bind starts with the full window and no pause; `outstanding` follows take/release only. */
  reset(): void {
    this.limit = this.size;
    this.pausedUntil = 0;
  }
}
