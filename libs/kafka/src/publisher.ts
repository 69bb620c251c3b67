import { CompressionTypes, Kafka, Producer } from 'kafkajs';
import { Envelope, encodeEnvelope } from './envelope';

/** Something that durably publishes envelopes; resolves only once the broker acknowledged all of them. */
export interface EventPublisher {
  publish(topic: string, envelopes: Envelope[]): Promise<void>;
}

/**
 * kafkajs producer with acks=all: `publish` resolves when every in-sync replica has the records.
 * A failure rejects the whole batch; the caller (the outbox relay) retries it, so duplicates are
 * possible and consumers drop them by event id.
 */
export class KafkaPublisher implements EventPublisher {
  private readonly producer: Producer;
  private connected = false;

  constructor(kafka: Kafka) {
    this.producer = kafka.producer({ allowAutoTopicCreation: false });
  }

  async connect(): Promise<void> {
    if (!this.connected) {
      await this.producer.connect();
      this.connected = true;
    }
  }

  async publish(topic: string, envelopes: Envelope[]): Promise<void> {
    await this.connect();
    await this.producer.send({
      topic,
      acks: -1,
      timeout: 30000,
      compression: CompressionTypes.None,
      messages: envelopes.map(encodeEnvelope),
    });
  }

  async disconnect(): Promise<void> {
    if (this.connected) await this.producer.disconnect();
    this.connected = false;
  }
}
