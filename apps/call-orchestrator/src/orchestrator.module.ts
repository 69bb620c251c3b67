import { DynamicModule, Module } from '@nestjs/common';
import { collectDefaultMetrics } from 'prom-client';
import { DataSource } from 'typeorm';
import { APP_CONFIG, OrchestratorConfig } from '@gw/config';
import { DATA_SOURCE, DatabaseModule, postgresCheck } from '@gw/database';
import { HealthController, loggerModule, readinessChecks } from '@gw/observability';
import { MetricsController } from './metrics.controller';
import { METRICS, OrchestratorRunner } from './orchestrator.runner';

/** The `call-orchestrator` app: runs call flows on Asterisk through ARI. */
@Module({})
export class OrchestratorModule {
  static forRoot(config: OrchestratorConfig): DynamicModule {
    // prom-client samples event-loop delay with a timer at this resolution (default 10 ms): 100
    // wake-ups a second cost an idle orchestrator ~3% of a core; 100 ms still gives ~150 samples
    // per 15 s scrape.
    collectDefaultMetrics({ register: METRICS, eventLoopMonitoringPrecision: 100 });
    return {
      module: OrchestratorModule,
      imports: [
        loggerModule('call-orchestrator', config.LOG_LEVEL),
        DatabaseModule.forRoot({ url: config.DATABASE_URL, applicationName: 'call-orchestrator', poolSize: 20 }),
      ],
      controllers: [HealthController, MetricsController],
      providers: [
        readinessChecks(
          (ds: DataSource, runner: OrchestratorRunner) => [
            postgresCheck(ds),
            {
              name: 'ari',
              check: async () => {
                if (!runner.isReady()) throw new Error('ARI not connected or Kafka consumer not in its group yet');
              },
            },
          ],
          [DATA_SOURCE, OrchestratorRunner],
        ),
        { provide: APP_CONFIG, useValue: config },
        OrchestratorRunner,
      ],
    };
  }
}
