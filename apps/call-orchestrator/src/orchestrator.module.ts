import { DynamicModule, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, OrchestratorConfig } from '@gw/config';
import { DATA_SOURCE, DatabaseModule, postgresCheck } from '@gw/database';
import { HealthController, loggerModule, MetricsModule, readinessChecks } from '@gw/observability';
import { HeapController } from './metrics.controller';
import { OrchestratorRunner } from './orchestrator.runner';

/** The `call-orchestrator` app: runs call flows on Asterisk through ARI. */
@Module({})
export class OrchestratorModule {
  static forRoot(config: OrchestratorConfig): DynamicModule {
    return {
      module: OrchestratorModule,
      imports: [
        loggerModule('call-orchestrator', config.LOG_LEVEL),
        DatabaseModule.forRoot({ url: config.DATABASE_URL, applicationName: 'call-orchestrator', poolSize: 20 }),
        MetricsModule.forRoot({ postgres: DATA_SOURCE }),
      ],
      controllers: [HealthController, HeapController],
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
