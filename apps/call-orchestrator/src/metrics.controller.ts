import { Controller, Get } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';

/**
 * `GET /metrics/heap`: heap and RSS in bytes, beside the Prometheus metrics of `GET /metrics`
 * (MetricsController of @gw/observability).
 */
@ApiExcludeController()
@Controller('metrics')
export class HeapController {
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
