import { randomUUID } from 'node:crypto';
import { connect } from 'node:tls';
import { baseEnv, loadConfig } from '@gw/config';
import { createKafka, kafkaSecurity } from '@gw/kafka';

/**
 * The apps' Kafka settings (KAFKA_TLS, KAFKA_TLS_CA_FILE, KAFKA_SASL_*) against the local broker's
 * SASL_SSL listener (SCRAM-SHA-512 over TLS with a certificate of the stack's own CA; see
 * infra/lib/kafka.sh), parsed by the same schema and mapped by the same function the apps use.
 */
describe('Kafka over SASL_SSL with SCRAM-SHA-512 (real broker)', () => {
  const env = (overrides: Record<string, string | undefined>) =>
    loadConfig(baseEnv, {
      DATABASE_URL: process.env.DATABASE_URL,
      REDIS_URL: process.env.REDIS_URL,
      KAFKA_BROKERS: process.env.KAFKA_SASL_SSL_BROKERS,
      KAFKA_TLS: 'on',
      KAFKA_TLS_CA_FILE: process.env.KAFKA_SASL_SSL_CA_FILE,
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: process.env.KAFKA_SCRAM_USERNAME,
      KAFKA_SASL_PASSWORD: process.env.KAFKA_SCRAM_PASSWORD,
      ...overrides,
    });
  const client = (overrides: Record<string, string | undefined> = {}) => {
    const config = env(overrides);
    const kafka = createKafka(config.KAFKA_BROKERS, `sasl-it-${randomUUID()}`, undefined, kafkaSecurity(config));
    return kafka;
  };
  /** Lists topics through an admin client: the whole handshake (TLS, then SASL) has to succeed. */
  const listTopics = async (overrides: Record<string, string | undefined> = {}): Promise<string[]> => {
    const admin = client(overrides).admin({ retry: { retries: 0 } });
    try {
      await admin.connect();
      return await admin.listTopics();
    } finally {
      await admin.disconnect();
    }
  };

  it('produces and consumes a record with TLS verified against the CA file and SCRAM credentials', async () => {
    const kafka = client();
    const topic = `it.sasl.${randomUUID()}`;
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 1 }] });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages: [{ key: 'k', value: 'over SASL_SSL' }] });
    const consumer = kafka.consumer({ groupId: `it-sasl-${randomUUID()}` });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    const got = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no record within 20 s')), 20000);
      void consumer.run({
        eachMessage: async ({ message }) => {
          clearTimeout(timer);
          resolve(message.value!.toString());
        },
      });
    });
    expect(got).toBe('over SASL_SSL');
    await consumer.disconnect();
    await producer.disconnect();
    await admin.deleteTopics({ topics: [topic] });
    await admin.disconnect();
  }, 60000);

  it('is refused with a wrong SCRAM password', async () => {
    await expect(listTopics({ KAFKA_SASL_PASSWORD: 'not-the-password' })).rejects.toThrow(/SASL SCRAM SHA512 authentication failed/);
  }, 30000);

  it('verifies the listener certificate: trusted with the CA file, refused with the system CAs only', async () => {
    const [host, port] = process.env.KAFKA_SASL_SSL_BROKERS!.split(':');
    const handshake = (ca?: string) =>
      new Promise<void>((resolve, reject) => {
        const socket = connect({ host, port: Number(port), servername: host === '127.0.0.1' ? undefined : host, ca, timeout: 5000 });
        socket.once('secureConnect', () => {
          socket.end();
          resolve();
        });
        socket.once('error', reject);
        socket.once('timeout', () => socket.destroy(new Error('TLS handshake timed out')));
      });
    const ca = (kafkaSecurity(env({})).ssl as { ca: string[] }).ca[0];
    await expect(handshake(ca)).resolves.toBeUndefined();
    await expect(handshake()).rejects.toThrow(/self[- ]signed certificate|unable to get local issuer certificate/);
  }, 30000);

  it('is refused without SASL credentials (TLS alone)', async () => {
    await expect(listTopics({ KAFKA_SASL_MECHANISM: undefined })).rejects.toThrow(/Closed connection/);
  }, 30000);
});
