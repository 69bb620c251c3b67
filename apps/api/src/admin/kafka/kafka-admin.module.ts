import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, ApiConfig } from '@gw/config';
import { DATA_SOURCE } from '@gw/database';
import { ConsumerGroupAdmin, createKafka, KafkaDeadLetterRepository, kafkaSecurity, OPERATOR_RETRY } from '@gw/kafka';
import { ConsumerGroupsController } from './consumer-groups.controller';
import { KAFKA_ADMIN_TIMEOUT_MS, KafkaAdminUseCases } from './kafka-admin.usecases';
import { KafkaDeadLettersController } from './kafka-dead-letters.controller';
import { UsageCountersRepository } from './usage-counters.repository';

/**
 * The operator's Kafka tools (`/admin/kafka/...`, `/admin/usage/rebuild`). Each request opens its own
 * kafkajs admin, consumer or producer and closes it, so nothing stays connected between requests.
 */
@Module({
  controllers: [KafkaDeadLettersController, ConsumerGroupsController],
  providers: [
    {
      provide: KafkaDeadLetterRepository,
      useFactory: (config: ApiConfig, ds: DataSource) =>
        new KafkaDeadLetterRepository(
          createKafka(config.KAFKA_BROKERS, 'api-admin', undefined, kafkaSecurity(config), OPERATOR_RETRY),
          ds,
          KAFKA_ADMIN_TIMEOUT_MS,
        ),
      inject: [APP_CONFIG, DATA_SOURCE],
    },
    {
      provide: ConsumerGroupAdmin,
      useFactory: (config: ApiConfig) =>
        new ConsumerGroupAdmin(
          createKafka(config.KAFKA_BROKERS, 'api-admin', undefined, kafkaSecurity(config), OPERATOR_RETRY),
          KAFKA_ADMIN_TIMEOUT_MS,
        ),
      inject: [APP_CONFIG],
    },
    UsageCountersRepository,
    KafkaAdminUseCases,
  ],
})
export class KafkaAdminModule {}
