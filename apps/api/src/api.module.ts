import { DynamicModule, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, ApiConfig } from '@gw/config';
import { DATA_SOURCE, DatabaseModule, postgresCheck } from '@gw/database';
import { HealthController, MetricsModule, readinessChecks, watchRedis } from '@gw/observability';
import { AdminController } from './admin/admin.controller';
import { AdminUseCases } from './admin/admin.usecases';
import { DialAllowlistController } from './admin/dial-allowlist.controller';
import { DialAllowlistUseCases } from './admin/dial-allowlist.usecases';
import { ErasuresController } from './admin/erasures.controller';
import { PrivacyRepository } from './admin/privacy.repository';
import { PrivacyUseCases } from './admin/privacy.usecases';
import { RetentionController } from './admin/retention.controller';
import { AuditController } from './audit/audit.controller';
import { AuditLogRepository } from './audit/audit-log.repository';
import { CallbackUrlPolicy } from './common/callback-urls';
import { ApiKeyCache } from './keys/api-key-cache';
import { ApiKeysController } from './keys/api-keys.controller';
import { ApiKeysRepository } from './keys/api-keys.repository';
import { ApiKeysUseCases } from './keys/api-keys.usecases';
import { KeyRevocations } from './keys/key-revocations';
import { JWT_VERIFIER, ProjectAuthGuard } from './auth/project-auth.guard';
import { jwtVerifierFrom } from './auth/jwt-verifier';
import { OperatorGuard } from './auth/operator.guard';
import { IdempotencyKeyJanitor } from './idempotency/idempotency-janitor';
import { MessagesModule } from './messages/messages.module';
import { FlowsModule } from './flows/flows.module';
import { NumbersModule } from './numbers/numbers.module';
import { OptOutsModule } from './opt-outs/opt-outs.module';
import { ConnectorsAdminModule } from './admin/connectors/connectors-admin.module';
import { DeadLettersModule } from './admin/dead-letters/dead-letters.module';
import { KafkaAdminModule } from './admin/kafka/kafka-admin.module';
import { CallsModule } from './calls/calls.module';
import { UsageController } from './usage/usage.controller';
import { ProjectRateLimitsRepository } from './rate-limit/project-rate-limits.repository';
import { defaultRateLimits, RATE_LIMIT_DEFAULTS, RateLimitPolicies } from './rate-limit/policies';
import { rateLimitRedis, RedisRateLimiter } from './rate-limit/redis-rate-limiter';

/**
 * The `api` app: REST API over Postgres; writes domain rows and outbox rows, never calls a carrier.
 * `logging` is the app's logger module (fastifyLogging, bound to the app's Fastify instance).
 */
@Module({})
export class ApiModule {
  static forRoot(config: ApiConfig, logging: DynamicModule): DynamicModule {
    const configProvider = { provide: APP_CONFIG, useValue: config };
    return {
      module: ApiModule,
      global: true,
      imports: [
        logging,
        DatabaseModule.forRoot({ url: config.DATABASE_URL, applicationName: 'api', poolSize: 20 }),
        MetricsModule.forRoot({ postgres: DATA_SOURCE }),
        MessagesModule,
        FlowsModule,
        CallsModule.forRoot(config),
        NumbersModule,
        OptOutsModule,
        ConnectorsAdminModule,
        DeadLettersModule,
        KafkaAdminModule,
      ],
      controllers: [
        HealthController,
        AdminController,
        ApiKeysController,
        AuditController,
        UsageController,
        RetentionController,
        ErasuresController,
        DialAllowlistController,
      ],
      providers: [
        readinessChecks((ds: DataSource) => [postgresCheck(ds)], [DATA_SOURCE]),
        configProvider,
        { provide: JWT_VERIFIER, useValue: jwtVerifierFrom(config) },
        ProjectAuthGuard,
        OperatorGuard,
        AdminUseCases,
        DialAllowlistUseCases,
        AuditLogRepository,
        PrivacyRepository,
        PrivacyUseCases,
        CallbackUrlPolicy,
        ApiKeyCache,
        ApiKeysRepository,
        ApiKeysUseCases,
        { provide: KeyRevocations, useFactory: (cache: ApiKeyCache) => new KeyRevocations(cache, config.REDIS_URL), inject: [ApiKeyCache] },
        IdempotencyKeyJanitor,
        { provide: RATE_LIMIT_DEFAULTS, useValue: defaultRateLimits(config.RATE_LIMITS) },
        {
          provide: RedisRateLimiter,
          useFactory: () =>
            new RedisRateLimiter(watchRedis('rate_limit', rateLimitRedis(config.REDIS_URL, config.RATE_LIMIT_REDIS_TIMEOUT_MS))),
        },
        ProjectRateLimitsRepository,
        RateLimitPolicies,
      ],
      exports: [
        configProvider,
        JWT_VERIFIER,
        ProjectAuthGuard,
        RateLimitPolicies,
        RedisRateLimiter,
        AuditLogRepository,
        ApiKeysRepository,
        ApiKeyCache,
        CallbackUrlPolicy,
      ],
    };
  }
}
