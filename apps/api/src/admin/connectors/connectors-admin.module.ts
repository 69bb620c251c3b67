import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, ApiConfig } from '@gw/config';
import { DATA_SOURCE } from '@gw/database';
import { ConnectorRepository, RouteRepository } from '@gw/routing';
import { ConnectorRegistryEvents } from './connector-registry-events';
import { ConnectorsController } from './connectors.controller';
import { ConnectorsUseCases } from './connectors.usecases';
import { SmsRoutesController } from './sms-routes.controller';
import { SmsRoutesUseCases } from './sms-routes.usecases';

/**
 * The operator's connector registry (`/admin/connectors`) and SMS routes (`/admin/routes`), with
 * the Redis client that announces their changes to the connector processes and reads the circuit
 * breaker states those report.
 */
@Module({
  controllers: [ConnectorsController, SmsRoutesController],
  providers: [
    { provide: ConnectorRepository, useFactory: (ds: DataSource) => new ConnectorRepository(ds.manager), inject: [DATA_SOURCE] },
    { provide: RouteRepository, useFactory: (ds: DataSource) => new RouteRepository(ds.manager), inject: [DATA_SOURCE] },
    {
      provide: ConnectorRegistryEvents,
      useFactory: (config: ApiConfig) => new ConnectorRegistryEvents(config.REDIS_URL),
      inject: [APP_CONFIG],
    },
    ConnectorsUseCases,
    SmsRoutesUseCases,
  ],
})
export class ConnectorsAdminModule {}
