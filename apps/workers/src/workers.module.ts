import { DynamicModule, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, WorkersConfig } from '@gw/config';
import { DATA_SOURCE, DatabaseModule, postgresCheck } from '@gw/database';
import { HealthController, loggerModule, MetricsModule, readinessChecks } from '@gw/observability';
import { WorkersRunner } from './workers.runner';

/** The `workers` app: outbox relay, callback dispatch and usage aggregation. */
@Module({})
export class WorkersModule {
  static forRoot(config: WorkersConfig): DynamicModule {
    return {
      module: WorkersModule,
      imports: [
        loggerModule('workers', config.LOG_LEVEL),
        DatabaseModule.forRoot({ url: config.DATABASE_URL, applicationName: 'workers', poolSize: 20 }),
        MetricsModule.forRoot({ postgres: DATA_SOURCE }),
      ],
      controllers: [HealthController],
      providers: [
        readinessChecks(
          (ds: DataSource, runner: WorkersRunner) => [
            postgresCheck(ds),
            {
              name: 'workers',
              check: async () => {
                if (!runner.isRunning()) throw new Error('workers not started, or a Kafka consumer not in its group yet');
              },
            },
          ],
          [DATA_SOURCE, WorkersRunner],
        ),
        { provide: APP_CONFIG, useValue: config },
        WorkersRunner,
      ],
      exports: [WorkersRunner],
    };
  }
}
