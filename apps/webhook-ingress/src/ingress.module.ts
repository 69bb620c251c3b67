import { DynamicModule, Inject, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { urlencoded } from 'express';
import { DataSource } from 'typeorm';
import { APP_CONFIG, IngressConfig } from '@gw/config';
import { DATA_SOURCE, DatabaseModule, postgresCheck } from '@gw/database';
import { HealthController, loggerModule, readinessChecks } from '@gw/observability';
import { IpAllowlist } from '@gw/security';
import { jasminAuthMiddleware } from './jasmin/jasmin-auth.middleware';
import { JasminCallbacksService } from './jasmin/jasmin-callbacks.service';
import { JasminController } from './jasmin/jasmin.controller';

/** The `webhook-ingress` app: verifies carrier callbacks first, then upserts statuses with outbox events. */
@Module({})
export class IngressModule implements NestModule {
  constructor(@Inject(APP_CONFIG) private readonly config: IngressConfig) {}

  static forRoot(config: IngressConfig): DynamicModule {
    return {
      module: IngressModule,
      imports: [
        loggerModule('webhook-ingress', config.LOG_LEVEL),
        DatabaseModule.forRoot({ url: config.DATABASE_URL, applicationName: 'webhook-ingress', poolSize: 20 }),
      ],
      controllers: [HealthController, JasminController],
      providers: [
        readinessChecks((ds: DataSource) => [postgresCheck(ds)], [DATA_SOURCE]),
        { provide: APP_CONFIG, useValue: config },
        JasminCallbacksService,
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    const c = this.config;
    consumer
      .apply(
        jasminAuthMiddleware({ allowlist: new IpAllowlist(c.JASMIN_ALLOWED_CIDRS), dlrSecret: c.DLR_TOKEN_SECRET, moToken: c.MO_TOKEN }),
        urlencoded({ extended: false, limit: '32kb' }),
      )
      .forRoutes(JasminController);
  }
}
