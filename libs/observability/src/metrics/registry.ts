import { collectDefaultMetrics, Registry } from 'prom-client';

/**
 * The process's one Prometheus registry: every metric of the gateway registers here (`registers:
 * [METRICS]`) and `GET /metrics` serves it (see MetricsController; text exposition format 0.0.4).
 */
export const METRICS = new Registry();

let defaultsCollected = false;

/**
 * Adds prom-client's default process metrics (`process_cpu_seconds_total`,
 * `nodejs_eventloop_lag_seconds`, heap, GC, ...) to METRICS once per process and returns it.
 * prom-client samples event-loop delay with a timer at this resolution (default 10 ms): 100
 * wake-ups a second cost an idle process ~3% of a core; 100 ms still gives ~150 samples per 15 s scrape.
 */
export function processMetrics(): Registry {
  if (!defaultsCollected) {
    defaultsCollected = true;
    collectDefaultMetrics({ register: METRICS, eventLoopMonitoringPrecision: 100 });
  }
  return METRICS;
}
