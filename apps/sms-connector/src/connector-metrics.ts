import { Counter, Gauge, Histogram } from 'prom-client';
import { METRICS } from '@gw/observability';
import { BREAKER_STATES } from '@gw/routing';
import type { BreakerState } from '@gw/routing';

/**
 * Prometheus metrics of the sms-connector (served at /metrics): per connector, the circuit
 * breaker's state (`gw_connector_breaker_state`, 1 for the current state, 0 for the others),
 * submits by outcome (`gw_connector_submits_total`, outcome = submitted | not_submitted | unknown
 * | rejected) and submit latency in seconds (`gw_connector_submit_seconds`, carrier answer time),
 * on the process's registry (METRICS). One instance per process: each metric registers once.
 */
export class ConnectorMetrics {
  private readonly breaker = new Gauge({
    name: 'gw_connector_breaker_state',
    help: 'Circuit breaker state of a connector in this process (1 = current state)',
    labelNames: ['connector', 'state'] as const,
    registers: [METRICS],
  });
  private readonly submits = new Counter({
    name: 'gw_connector_submits_total',
    help: 'Submit attempts on a connector by outcome',
    labelNames: ['connector', 'outcome'] as const,
    registers: [METRICS],
  });
  private readonly latency = new Histogram({
    name: 'gw_connector_submit_seconds',
    help: 'Time from handing a message to a connector to its answer (s)',
    labelNames: ['connector'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [METRICS],
  });

  /** Records the breaker state of connector `name`. */
  breakerState(name: string, state: BreakerState): void {
    for (const s of BREAKER_STATES) this.breaker.set({ connector: name, state: s }, s === state ? 1 : 0);
  }

  /** Records one submit attempt on connector `name` that took `seconds`. */
  submit(name: string, outcome: 'submitted' | 'not_submitted' | 'unknown' | 'rejected', seconds: number): void {
    this.submits.inc({ connector: name, outcome });
    this.latency.observe({ connector: name }, seconds);
  }

  /** Forgets a connector that is no longer run here. */
  remove(name: string): void {
    for (const s of BREAKER_STATES) this.breaker.remove({ connector: name, state: s });
  }
}
