import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { Kafka } from 'kafkajs';
import { createKafka, Envelope, IdempotentConsumer, KafkaPublisher } from '@gw/kafka';
import { OutboxRelay, writeOutbox } from '@gw/outbox';
import { ScratchDatabase } from '@gw/stack-client';

const ROOT = resolve(__dirname, '..', '..');
const brokers = () => process.env.KAFKA_BROKERS!.split(',');

function runCrashingRelay(databaseUrl: string): Promise<NodeJS.Signals | number | null> {
  return new Promise((done, fail) => {
    const child = spawn(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', resolve(__dirname, 'fixtures/relay-crash-after-ack.ts')],
      { cwd: ROOT, env: { ...process.env, DATABASE_URL: databaseUrl, TS_NODE_PROJECT: resolve(ROOT, 'tsconfig.json') }, stdio: 'inherit' },
    );
    child.on('error', fail);
    child.on('exit', (code, signal) => done(signal ?? code));
  });
}

async function readAll(kafka: Kafka, topic: string, expected: number): Promise<string[]> {
  const consumer = kafka.consumer({ groupId: `reader-${randomUUID()}` });
  const ids: string[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({ eachMessage: async ({ message }) => void ids.push(String(message.headers?.['event-id'])) });
  const deadline = Date.now() + 30000;
  while (ids.length < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  await new Promise((r) => setTimeout(r, 1000));
  await consumer.disconnect();
  return ids;
}

describe('outbox relay on real Postgres and Kafka', () => {
  const db = new ScratchDatabase(process.env.DATABASE_URL!);
  const kafka = createKafka(brokers(), 'outbox-it');
  const topic = `it.outbox.${randomUUID()}`;

  beforeAll(async () => {
    await db.create();
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 3 }] });
    await admin.disconnect();
  });
  afterAll(() => db.drop());

  it('a relay killed between the Kafka ack and marking rows published yields duplicates that consumers drop, never a loss', async () => {
    const N = 25;
    const written: Envelope[] = await db.ds.transaction((tx) =>
      writeOutbox(
        tx,
        Array.from({ length: N }, (_, i) => ({ topic, key: `msg_${i % 5}`, type: 'test.event', payload: { n: i } })),
      ),
    );

    expect(await runCrashingRelay(db.url)).toBe('SIGKILL');
    const [{ unpublished }] = await db.ds.query(`SELECT count(*)::int AS unpublished FROM outbox WHERE published_at IS NULL`);
    expect(unpublished).toBe(N);

    const publisher = new KafkaPublisher(kafka);
    const relay = new OutboxRelay(db.ds, publisher, { batchSize: 1000, idleMs: 10, log: () => undefined });
    expect(await relay.relayOnce()).toBe(N);
    expect(await relay.relayOnce()).toBe(0);
    await publisher.disconnect();

    const onKafka = await readAll(kafka, topic, 2 * N);
    expect(onKafka).toHaveLength(2 * N);
    expect(new Set(onKafka)).toEqual(new Set(written.map((e) => e.event_id)));

    const handled: string[] = [];
    const consumer = new IdempotentConsumer(kafka, db.ds, {
      group: `it-consumer-${randomUUID()}`,
      topics: [topic],
      log: () => undefined,
      handler: async (event) => void handled.push(event.event_id),
    });
    await consumer.start();
    const deadline = Date.now() + 30000;
    while (handled.length < N && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 2000));
    await consumer.stop();
    expect(handled.sort()).toEqual(written.map((e) => e.event_id).sort());
  });

  it('several relays share the outbox without publishing a row twice', async () => {
    const t2 = `it.outbox.${randomUUID()}`;
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic: t2, numPartitions: 3 }] });
    await admin.disconnect();
    const N = 300;
    await db.ds.transaction((tx) =>
      writeOutbox(
        tx,
        Array.from({ length: N }, (_, i) => ({ topic: t2, key: `k${i}`, type: 't', payload: { i } })),
      ),
    );
    const publishers = [new KafkaPublisher(kafka), new KafkaPublisher(kafka), new KafkaPublisher(kafka)];
    const relays = publishers.map((p) => new OutboxRelay(db.ds, p, { batchSize: 20, idleMs: 10, log: () => undefined }));
    const moved = await Promise.all(
      relays.map(async (r) => {
        let total = 0;
        for (let n = await r.relayOnce(); n > 0; n = await r.relayOnce()) total += n;
        return total;
      }),
    );
    await Promise.all(publishers.map((p) => p.disconnect()));
    expect(moved.reduce((a, b) => a + b, 0)).toBe(N);
    const onKafka = await readAll(kafka, t2, N);
    expect(onKafka).toHaveLength(N);
    expect(new Set(onKafka).size).toBe(N);
  });
});
