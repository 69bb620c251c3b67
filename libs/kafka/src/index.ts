export {
  Topics,
  ConsumerGroups,
  EventTypes,
  decodeEnvelope,
  encodeEnvelope,
  EnvelopeDecodeError,
  CORRELATION_ID_HEADER,
  correlationHeaders,
} from './envelope';
export type { Envelope, Topic } from './envelope';
export { createKafka, ensureTopics, ALL_TOPICS, DEFAULT_PARTITIONS } from './kafka-client';
export { kafkaSecurity } from './kafka-security';
export type { KafkaSecurity, KafkaSecuritySettings } from './kafka-security';
export { KafkaPublisher } from './publisher';
export type { EventPublisher } from './publisher';
export { IdempotentConsumer, deadLetterTopic, markProcessed } from './idempotent-consumer';
export type { EventHandler, IdempotentConsumerOptions, ProcessOutcome } from './idempotent-consumer';
export { KafkaDeadLetterRepository, KAFKA_DEAD_LETTER_ID, REPLAYED_CONSUMER, replayedKey } from './dead-letter-topics';
export type { KafkaDeadLetter, KafkaDeadLetterFilter, KafkaDeadLetterPage } from './dead-letter-topics';
export type { KafkaPurgeOutcome, KafkaReplayOutcome } from './dead-letter-topics';
export { ConsumerGroupAdmin } from './consumer-groups';
export { OPERATOR_RETRY } from './kafka-unavailable';
export type { GroupState, OffsetTarget, PartitionOffset } from './consumer-groups';
