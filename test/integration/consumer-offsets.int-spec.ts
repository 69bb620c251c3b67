import { randomUUID } from 'node:crypto';
import { createKafka, Envelope, IdempotentConsumer, KafkaPublisher } from '@gw/kafka';
import { ScratchDatabase } from '@gw/stack-client';

const brokers = () => process.env.KAFKA_BROKERS!.split(',');
const envelope = (n: number): Envelope => ({
  event_id: randomUUID(),
  type: 'test.event',
  key: `k${n}`,
  payload: { n },
  created_at: new Date().toISOString(),
  headers: {},
});

async function until(check: () => boolean | Promise<boolean>, ms = 30000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('IdempotentConsumer offset commits on a timer (real Kafka)', () => {
  const db = new ScratchDatabase(process.env.DATABASE_URL!);
  const kafka = createKafka(brokers(), 'offsets-it');
  const topic = `it.offsets.${randomUUID()}`;
  const group = `it-offsets-${randomUUID()}`;
  const admin = kafka.admin();
  const publisher = new KafkaPublisher(kafka);

  const committed = async (): Promise<number> => {
    const [t] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
    return t.partitions.reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
  };
  const consumer = (handled: string[]) =>
    new IdempotentConsumer(kafka, db.ds, {
      group,
      topics: [topic],
      log: () => undefined,
      dedupe: 'handler',
      commitIntervalMs: 300,
      handler: async (event) => void handled.push(event.event_id),
    });

  beforeAll(async () => {
    await db.create();
    await admin.connect();
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 2 }] });
    await publisher.connect();
  });
  afterAll(async () => {
    await publisher.disconnect();
    await admin.disconnect();
    await db.drop();
  });

  it('reports joined() only once the group gave it an assignment, and logs the join', async () => {
    const logs: Array<[string, Record<string, unknown> | undefined]> = [];
    const member = new IdempotentConsumer(kafka, db.ds, {
      group: `it-join-${randomUUID()}`,
      topics: [topic],
      log: (_level, msg, extra) => void logs.push([msg, extra]),
      dedupe: 'handler',
      handler: async () => undefined,
    });
    expect(member.joined()).toBe(false);
    await member.start();
    await until(() => member.joined(), 20000);
    await member.stop();
    const joinLog = logs.find(([msg]) => msg === 'joined consumer group');
    expect(joinLog?.[1]).toEqual(expect.objectContaining({ partitions: 2 }));
  });

  it('commits what it processed within an interval while idle, commits the rest on stop, and a successor re-reads nothing', async () => {
    const handled: string[] = [];
    const first = consumer(handled);
    await first.start();
    for (let n = 0; n < 20; n++) await publisher.publish(topic, [envelope(n)]);
    await until(() => handled.length === 20);
    await until(async () => (await committed()) === 20, 5000);

    for (let n = 20; n < 30; n++) await publisher.publish(topic, [envelope(n)]);
    await until(() => handled.length === 30);
    await first.stop();
    expect(await committed()).toBe(30);

    const again: string[] = [];
    const second = consumer(again);
    await second.start();
    await publisher.publish(topic, [envelope(30)]);
    await until(() => again.length === 1);
    await new Promise((r) => setTimeout(r, 1000));
    await second.stop();
    expect(again).toHaveLength(1);
    expect(new Set(handled).size).toBe(30);
  });
});
