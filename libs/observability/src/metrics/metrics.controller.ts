import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Registry } from 'prom-client';
import { scrapeMetrics } from './cluster-metrics';
import { processMetrics } from './registry';

/**
 * `GET /metrics`: the app's Prometheus metrics in text exposition format 0.0.4
 * (https://prometheus.io/docs/instrumenting/exposition_formats/), for the whole app when it runs
 * in several processes (see scrapeMetrics).
 */
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor() {
    processMetrics();
  }

  @Get()
  @Header('content-type', Registry.PROMETHEUS_CONTENT_TYPE)
  scrape(): Promise<string> {
    return scrapeMetrics();
  }
}
