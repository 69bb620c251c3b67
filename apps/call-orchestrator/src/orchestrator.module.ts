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
    collectDefaultMetrics({ register: METRICS });
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
                if (!runner.isReady()) throw new Error('ARI or Kafka not connected');
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
