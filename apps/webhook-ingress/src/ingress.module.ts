import { DynamicModule, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, IngressConfig } from '@gw/config';
import { DATA_SOURCE, DatabaseModule, postgresCheck } from '@gw/database';
import { HealthController, MetricsModule, readinessChecks } from '@gw/observability';
import { CarrierCallbacksService } from './carriers/carrier-callbacks.service';
import { CarrierWebhooksController } from './carriers/carrier-webhooks.controller';

/**
 * The `webhook-ingress` app: verifies carrier callbacks first (see createIngressApp), then upserts
 * statuses with outbox events. `logging` is the app's logger module (fastifyLogging).
 */
@Module({})
export class IngressModule {
  static forRoot(config: IngressConfig, logging: DynamicModule): DynamicModule {
    return {
      module: IngressModule,
      imports: [
        logging,
        DatabaseModule.forRoot({ url: config.DATABASE_URL, applicationName: 'webhook-ingress', poolSize: 20 }),
        MetricsModule.forRoot({ postgres: DATA_SOURCE }),
      ],
      controllers: [HealthController, CarrierWebhooksController],
      providers: [
        readinessChecks((ds: DataSource) => [postgresCheck(ds)], [DATA_SOURCE]),
        { provide: APP_CONFIG, useValue: config },
        CarrierCallbacksService,
      ],
    };
  }
}
