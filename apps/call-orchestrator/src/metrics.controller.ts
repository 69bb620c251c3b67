import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { METRICS } from './orchestrator.runner';

/** Prometheus metrics: verb scheduling latency, active calls, reconciliation outcomes, process memory. */
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  @Get()
  @Header('content-type', 'text/plain; version=0.0.4')
  metrics(): Promise<string> {
    return METRICS.metrics();
  }

  /**
   * Heap and RSS in bytes; after a full collection when the process runs with `--expose-gc`
   * (`gc: true`), so live memory per call can be measured without garbage in the figure.
   */
  @Get('heap')
  heap(): { gc: boolean; heap_used_bytes: number; rss_bytes: number } {
    const gc = (globalThis as { gc?: () => void }).gc;
    if (gc) gc();
    const m = process.memoryUsage();
    return { gc: Boolean(gc), heap_used_bytes: m.heapUsed, rss_bytes: m.rss };
  }
}
