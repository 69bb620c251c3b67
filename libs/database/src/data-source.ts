import { DataSource } from 'typeorm';
import { ApiKeyEntity } from './entities/api-key.entity';
import { IdempotencyKeyEntity } from './entities/idempotency-key.entity';
import { MessageStatusEventEntity } from './entities/message-status-event.entity';
import { MessageSubmissionEntity } from './entities/message-submission.entity';
import { MessageEntity } from './entities/message.entity';
import { OutboxEventEntity } from './entities/outbox-event.entity';
import { PhoneNumberEntity } from './entities/phone-number.entity';
import { ProcessedEventEntity } from './entities/processed-event.entity';
import { OrchestratorRoleEntity } from './entities/orchestrator-role.entity';
import { ProjectEntity } from './entities/project.entity';
import { UsageDailyEntity, UsageLedgerEntity } from './entities/usage.entity';
import { CallEntity, CallEventEntity, RecordingEntity } from './entities/call.entity';
import { FlowEntity, FlowVersionEntity } from './entities/flow.entity';
import { AuditLogEntity } from './entities/audit-log.entity';
import { ProjectRetentionEntity } from './entities/project-retention.entity';
import { ErasureEntity } from './entities/erasure.entity';
import { MessageSubmissions1764700000000 } from './migrations/1764700000000-message-submissions';
import { Traceparent1764800000000 } from './migrations/1764800000000-traceparent';
import { RetentionErasure1764500000000 } from './migrations/1764500000000-retention-erasure';
import { Connectors1764600000000 } from './migrations/1764600000000-connectors';
import { ConnectorEntity } from './entities/connector.entity';
import { SmsRouteEntity } from './entities/sms-route.entity';
import { SenderIdEntity } from './entities/sender-id.entity';
import { OptOutEntity } from './entities/opt-out.entity';
import { MessagingSettingsEntity } from './entities/messaging-settings.entity';
import { InitialSchema1763700000000 } from './migrations/1763700000000-initial-schema';
import { Voice1763800000000 } from './migrations/1763800000000-voice';
import { Retention1763900000000 } from './migrations/1763900000000-retention';
import { AriServers1764000000000 } from './migrations/1764000000000-ari-servers';
import { RateLimits1764100000000 } from './migrations/1764100000000-rate-limits';
import { AuditLog1764150000000 } from './migrations/1764150000000-audit-log';
import { SenderIds1764300000000 } from './migrations/1764300000000-sender-ids';
import { OptOuts1764400000000 } from './migrations/1764400000000-opt-outs';
import { KeyLifecycle1764160000000 } from './migrations/1764160000000-key-lifecycle';
import { DialAllowlist1764200000000 } from './migrations/1764200000000-dial-allowlist';

export const ENTITIES = [
  ProjectEntity,
  ApiKeyEntity,
  PhoneNumberEntity,
  MessageEntity,
  MessageStatusEventEntity,
  MessageSubmissionEntity,
  OutboxEventEntity,
  ProcessedEventEntity,
  IdempotencyKeyEntity,
  UsageDailyEntity,
  UsageLedgerEntity,
  FlowEntity,
  FlowVersionEntity,
  CallEntity,
  CallEventEntity,
  RecordingEntity,
  OrchestratorRoleEntity,
  AuditLogEntity,
  ProjectRetentionEntity,
  ErasureEntity,
  SenderIdEntity,
  OptOutEntity,
  MessagingSettingsEntity,
  ConnectorEntity,
  SmsRouteEntity,
];

export const MIGRATIONS = [
  InitialSchema1763700000000,
  Voice1763800000000,
  Retention1763900000000,
  AriServers1764000000000,
  RateLimits1764100000000,
  AuditLog1764150000000,
  KeyLifecycle1764160000000,
  DialAllowlist1764200000000,
  SenderIds1764300000000,
  OptOuts1764400000000,
  RetentionErasure1764500000000,
  Connectors1764600000000,
  MessageSubmissions1764700000000,
  Traceparent1764800000000,
];

/** Options for `createDataSource`; `poolSize` is pg's max connections (default 10), timeouts in ms. */
export interface DataSourceOptions {
  url: string;
  poolSize?: number;
  applicationName?: string;
  statementTimeoutMs?: number;
}

/**
 * TypeORM data source on `pg`. Schema changes only through the SQL migrations in
 * `migrations/` (never `synchronize`). Connect and statement timeouts bound every query.
 */
export function createDataSource(opts: DataSourceOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url: opts.url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    synchronize: false,
    poolSize: opts.poolSize ?? 10,
    applicationName: opts.applicationName,
    extra: {
      connectionTimeoutMillis: 5000,
      statement_timeout: opts.statementTimeoutMs ?? 15000,
      idle_in_transaction_session_timeout: 30000,
    },
  });
}
