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
}
