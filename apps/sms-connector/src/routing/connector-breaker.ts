import { BrokenCircuitError, CircuitState, ConsecutiveBreaker, circuitBreaker, handleWhen, IsolatedCircuitError } from 'cockatiel';
import type { CircuitBreakerPolicy } from 'cockatiel';
import { PermanentError, RetryableError } from '@gw/queues';
import { NotSubmittedError } from '@gw/connectors';
import type { BreakerOverride } from '@gw/database';
import type { BreakerState } from '@gw/routing';

/** Settings of one connector's breaker: consecutive failures that open it, and the wait before a half-open probe (ms). */
export interface BreakerSettings {
  failures: number;
  halfOpenAfterMs: number;
}

/**
 * Whether an error of a submit counts against the connector: it could not be reached or did not
 * answer (NotSubmittedError, RetryableError). Throttling (a retry-after) is the carrier working as
 * configured, and a permanent error is about the message, not the connector.
 */
function countsAsFailure(err: Error): boolean {
  if (err instanceof PermanentError) return false;
  return err instanceof RetryableError && err.retryAfterMs === undefined;
}

/**
 * One connector's circuit breaker in this process (cockatiel's CircuitBreakerPolicy with a
 * ConsecutiveBreaker): `failures` consecutive failures open it; after `halfOpenAfterMs` one submit
 * is let through as a probe, and its success closes it. While it is open, `run` throws
 * NotSubmittedError at once, so the message takes the next connector of its route. The operator
 * can force it open (cockatiel's isolate) or closed (submits bypass the breaker). `onChange` is
 * called whenever snapshot() changes: a state change or a change of the consecutive failures.
 */
export class ConnectorBreaker {
  private policy: CircuitBreakerPolicy;
  private isolation?: { dispose(): void };
  private override: BreakerOverride | null = null;
  private failures = 0;
  private since = new Date();

  constructor(
    private settings: BreakerSettings,
    private readonly onChange: (b: ConnectorBreaker) => void,
  ) {
    this.policy = this.build();
  }

  /**
   * Applies new settings and the operator's override; a settings change starts a fresh (closed)
   * breaker, which a standing forced-open override isolates again at once.
   */
  configure(settings: BreakerSettings, override: BreakerOverride | null): void {
    if (settings.failures !== this.settings.failures || settings.halfOpenAfterMs !== this.settings.halfOpenAfterMs) {
      this.isolation?.dispose();
      this.settings = settings;
      this.policy = this.build();
      this.isolation = this.override === 'open' ? this.policy.isolate() : undefined;
      this.changed();
    }
    if (override === this.override) return;
    this.isolation?.dispose();
    this.isolation = override === 'open' ? this.policy.isolate() : undefined;
    this.override = override;
    this.changed();
  }

  /** The state to report. */
  state(): BreakerState {
    if (this.override === 'open') return 'forced-open';
    if (this.override === 'closed') return 'forced-closed';
    switch (this.policy.state) {
      case CircuitState.Closed:
        return 'closed';
      case CircuitState.HalfOpen:
        return 'half-open';
      default:
        return 'open';
    }
  }

  /** When the state last changed, and the consecutive failures counted since the last success. */
  snapshot(): { state: BreakerState; since: string; failures: number } {
    return { state: this.state(), since: this.since.toISOString(), failures: this.failures };
  }

  /**
   * Runs one submit through the breaker.
   * @throws NotSubmittedError when the breaker is open (or half-open with its probe in flight); else what `submit` throws.
   */
  async run<T>(submit: () => Promise<T>): Promise<T> {
    if (this.override === 'closed') return this.count(submit);
    try {
      return await this.policy.execute(() => this.count(submit));
    } catch (err) {
      if (err instanceof BrokenCircuitError || err instanceof IsolatedCircuitError) {
        throw new NotSubmittedError(`circuit breaker ${this.state()}`);
      }
      throw err;
    }
  }

  /** Counts consecutive failures; each change of the count is reported too, so the replicas' states show it below the threshold. */
  private async count<T>(submit: () => Promise<T>): Promise<T> {
    try {
      const result = await submit();
      if (this.failures > 0) {
        this.failures = 0;
        this.onChange(this);
      }
      return result;
    } catch (err) {
      if (err instanceof Error && countsAsFailure(err)) {
        this.failures++;
        this.onChange(this);
      }
      throw err;
    }
  }

  private build(): CircuitBreakerPolicy {
    const policy = circuitBreaker(
      handleWhen((err) => err instanceof Error && countsAsFailure(err)),
      { halfOpenAfter: this.settings.halfOpenAfterMs, breaker: new ConsecutiveBreaker(this.settings.failures) },
    );
    policy.onStateChange(() => this.changed());
    return policy;
  }

  private changed(): void {
    this.since = new Date();
    this.onChange(this);
  }
}
