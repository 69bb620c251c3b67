import { DynamicModule, Module } from '@nestjs/common';
import IORedis from 'ioredis';
import { DataSource } from 'typeorm';
import { APP_CONFIG, ConnectorConfig } from '@gw/config';
import { DATA_SOURCE, DatabaseModule, postgresCheck } from '@gw/database';
import { HealthController, loggerModule, MetricsModule, readinessChecks } from '@gw/observability';
import { ConnectorMetrics } from './connector-metrics';
import { SmsConnectorRunner } from './sms-connector.runner';

/** The `sms-connector` app: consumes MT requests and submits them through the connectors of their route. */
@Module({})
export class ConnectorModule {
  static forRoot(config: ConnectorConfig): DynamicModule {
    return {
      module: ConnectorModule,
      imports: [
        loggerModule('sms-connector', config.LOG_LEVEL),
        DatabaseModule.forRoot({ url: config.DATABASE_URL, applicationName: 'sms-connector', poolSize: 20 }),
        MetricsModule.forRoot({ postgres: DATA_SOURCE }),
      ],
      controllers: [HealthController],
      providers: [
        readinessChecks(
          (ds: DataSource, runner: SmsConnectorRunner) => [
            postgresCheck(ds),
            { name: 'redis', check: () => pingRedis(config.REDIS_URL) },
            {
              name: 'consumer',
              check: async () => {
                if (!runner.isRunning()) throw new Error('Kafka consumer not in its group yet, or BullMQ worker not running');
              },
            },
          ],
          [DATA_SOURCE, SmsConnectorRunner],
        ),
        { provide: APP_CONFIG, useValue: config },
        ConnectorMetrics,
        SmsConnectorRunner,
      ],
      exports: [SmsConnectorRunner],
    };
  }
}

async function pingRedis(url: string): Promise<void> {
  const redis = new IORedis(url, { lazyConnect: true, connectTimeout: 1500, maxRetriesPerRequest: 0 });
  try {
    await redis.connect();
    await redis.ping();
  } finally {
    redis.disconnect();
  }
}
