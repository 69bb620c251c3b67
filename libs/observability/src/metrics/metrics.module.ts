import { DynamicModule, InjectionToken, Module } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { MetricsController } from './metrics.controller';
import { watchPgPool } from './pool-metrics';

const PG_POOL_METRICS = Symbol('PG_POOL_METRICS');

/**
 * Mounts `GET /metrics` (MetricsController) in an app; `postgres` is the injection token of the
 * app's TypeORM DataSource, whose pg pool is then reported as `gw_pg_pool_connections`.
 */
@Module({})
export class MetricsModule {
  static forRoot(opts: { postgres?: InjectionToken } = {}): DynamicModule {
    const postgres = opts.postgres;
    return {
      module: MetricsModule,
      controllers: [MetricsController],
      providers: postgres
        ? [
            {
              provide: PG_POOL_METRICS,
              useFactory: (ds: DataSource) => {
                watchPgPool(ds);
                return ds;
              },
              inject: [postgres],
            },
          ]
        : [],
    };
  }
}
