import { randomUUID } from 'node:crypto';
import { AddressInfo, createServer, Socket } from 'node:net';
import { DomainError, ErrorCode } from '@gw/errors';
import {
  ConsumerGroupAdmin,
  createKafka,
  deadLetterTopic,
  Envelope,
  IdempotentConsumer,
  KafkaDeadLetterRepository,
  KafkaPublisher,
  OPERATOR_RETRY,
  replayedKey,
  type KafkaDeadLetter,
} from '@gw/kafka';
import { ScratchDatabase } from '@gw/stack-client';

const brokers = () => process.env.KAFKA_BROKERS!.split(',');
const envelope = (n: number): Envelope => ({
  event_id: randomUUID(),
  type: 'test.event',
  key: `k${n}`,
  payload: { n, project_id: n % 2 ? 'prj_odd' : 'prj_even' },
  created_at: new Date().toISOString(),
  headers: {},
});

async function until<T>(check: () => Promise<T | undefined>, ms = 30000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The DomainError a promise rejects with (fails when it resolves). */
async function rejection(p: Promise<unknown>): Promise<DomainError> {
  try {
    await p;
  } catch (err) {
    return err as DomainError;
  }
  throw new Error('did not reject');
}

/**
 * Dead-letter topics and consumer-group offsets on the real local Kafka (topics and groups of this
 * file alone) with a scratch database: a real IdempotentConsumer parks what it cannot handle, the
 * repository lists, reads, replays (processed once, then no longer offered) and purges it; groups
 * are moved only while they have no members; Kafka unreachable is a 503 naming it.
 */
describe('KafkaDeadLetterRepository and ConsumerGroupAdmin (real Kafka)', () => {
  const db = new ScratchDatabase(process.env.DATABASE_URL!);
  const kafka = createKafka(brokers(), 'dlq-it');
  const topic = `it.dlq.${randomUUID()}`;
  const dlq = deadLetterTopic(topic);
  const group = `it-dlq-${randomUUID()}`;
  const admin = kafka.admin();
  const publisher = new KafkaPublisher(kafka);
  const failing = new Set<string>();
  const handled: string[] = [];
  let repo: KafkaDeadLetterRepository;
  let member: IdempotentConsumer;
  const events = [envelope(1), envelope(2), envelope(3)];
  const consumer = () =>
    new IdempotentConsumer(kafka, db.ds, {
      group,
      topics: [topic],
      log: () => undefined,
      maxAttempts: 2,
      retryDelayMs: 10,
      commitIntervalMs: 200,
      handler: async (event) => {
        if (failing.has(event.event_id)) throw new Error(`receiver refused ${event.payload.n as number}`);
        handled.push(event.event_id);
      },
    });

  beforeAll(async () => {
    await db.create();
    repo = new KafkaDeadLetterRepository(kafka, db.ds, 10000);
    await admin.connect();
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        { topic, numPartitions: 2 },
        { topic: dlq, numPartitions: 2 },
      ],
    });
    await publisher.connect();
    member = consumer();
    await member.start();
    for (const e of events.slice(0, 2)) failing.add(e.event_id);
    for (const e of events) {
      await publisher.publish(topic, [e]);
      // One at a time, so the dead-letter records' timestamps follow the publish order.
      if (failing.has(e.event_id))
        await until(async () => ((await repo.ids(dlq)).length === [...failing].indexOf(e.event_id) + 1 ? true : undefined));
    }
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages: [{ key: 'junk', value: 'not an envelope' }] });
    await producer.disconnect();
    await until(async () => ((await repo.ids(dlq)).length === 3 ? true : undefined));
    await until(async () => (handled.includes(events[2]!.event_id) ? true : undefined));
  });

  afterAll(async () => {
    await member.stop();
    await publisher.disconnect();
    await admin.deleteTopics({ topics: [topic, dlq] });
    await admin.disconnect();
    await db.drop();
  });

  it('lists what the consumer parked, newest first, with reason, origin, event id and type, attempts; filtered and paged', async () => {
    const page = await repo.list(dlq, 0, 10);
    expect(page.next_offset).toBeNull();
    const [junk, second, first] = page.data as [KafkaDeadLetter, KafkaDeadLetter, KafkaDeadLetter];
    expect(junk).toMatchObject({
      topic: dlq,
      original_topic: topic,
      group,
      event_id: null,
      key: 'junk',
      attempts: 1,
      value: 'not an envelope',
    });
    expect(junk.reason).toBe('record value is not JSON');
    for (const [entry, e] of [
      [first, events[0]!],
      [second, events[1]!],
    ] as const) {
      expect(entry).toMatchObject({
        id: `${entry.partition}-${entry.offset}`,
        original_topic: topic,
        group,
        event_id: e.event_id,
        event_type: 'test.event',
        key: e.key,
        project_id: e.payload.project_id,
        reason: `receiver refused ${e.payload.n as number}`,
        attempts: 2,
        value: { event_id: e.event_id, payload: e.payload },
      });
      expect(entry.original_partition).toEqual(expect.any(Number));
      expect(entry.original_offset).toMatch(/^\d+$/);
    }
    expect(Date.parse(junk.failed_at)).toBeGreaterThanOrEqual(Date.parse(second.failed_at));
    expect(Date.parse(second.failed_at)).toBeGreaterThanOrEqual(Date.parse(first.failed_at));

    expect(await repo.list(dlq, 0, 2)).toEqual({ data: [junk, second], next_offset: 2 });
    expect(await repo.list(dlq, 2, 2)).toEqual({ data: [first], next_offset: null });
    const odd = (e: KafkaDeadLetter) => e.project_id === 'prj_odd';
    expect(await repo.ids(dlq, odd)).toEqual([first.id]);
    expect(await repo.get(dlq, second.id)).toEqual(second);
    expect(await repo.get(dlq, '1-999999')).toBeNull();
    expect((await rejection(repo.list(`${dlq}.nope`, 0, 10))).code).toBe(ErrorCode.NotFound);
  });

  it('replays an entry once under the same event id: processed once, recorded with the audit callback, no longer offered', async () => {
    const first = (await repo.ids(dlq, (e) => e.event_id === events[0]!.event_id))[0]!;
    failing.delete(events[0]!.event_id);
    const seen: string[][] = [];
    const [a, b] = await Promise.all([
      repo.replay(dlq, [first, '0-999999'], async (tx, outcome) => {
        await tx.query('SELECT 1');
        seen.push(outcome.done);
      }),
      repo.replay(dlq, [first], async (_tx, outcome) => void seen.push(outcome.done)),
    ]);
    // Two concurrent replays: one republishes it, the other finds it claimed.
    expect([...a!.done, ...b!.done]).toEqual([first]);
    expect([...a!.missing, ...b!.missing].sort()).toEqual(['0-999999', first].sort());
    expect(seen.flat()).toEqual([first]);
    await until(async () => (handled.includes(events[0]!.event_id) ? true : undefined));
    expect(await repo.get(dlq, first)).toBeNull();
    expect(await repo.ids(dlq)).toHaveLength(2);
    expect((await repo.replay(dlq, [first], async () => undefined)).missing).toEqual([first]);

    // A record replayed but failing again is parked anew, and offered under its new place.
    await repo.replay(dlq, await repo.ids(dlq, (e) => e.event_id === events[1]!.event_id), async () => undefined);
    const again = await until(async () => (await repo.list(dlq, 0, 10)).data.find((e) => e.event_id === events[1]!.event_id));
    expect(again).toMatchObject({ attempts: 2, reason: 'receiver refused 2', group });
    expect(handled.filter((id) => id === events[0]!.event_id)).toHaveLength(1);
    const rows: unknown[] = await db.ds.query(`SELECT 1 FROM processed_events WHERE event_id = $1`, [
      replayedKey(dlq, again.partition, again.offset),
    ]);
    expect(rows).toHaveLength(0);
  });

  it('does not record a replay whose audit step fails: the entry stays on offer', async () => {
    const junk = (await repo.ids(dlq, (e) => e.key === 'junk'))[0]!;
    await expect(
      repo.replay(dlq, [junk], async () => {
        throw new Error('audit refused');
      }),
    ).rejects.toThrow('audit refused');
    expect(await repo.get(dlq, junk)).not.toBeNull();
    // It was republished all the same, and the consumer parks the undecodable record once more.
    await until(async () => ((await repo.ids(dlq, (e) => e.key === 'junk')).length === 2 ? true : undefined));
  });

  it('purges up to an offset, then everything, with DeleteRecords', async () => {
    const offsets = await admin.fetchTopicOffsets(dlq);
    const busy = offsets.find((o) => Number(o.high) > Number(o.low))!;
    const one = await repo.purge(dlq, [{ partition: busy.partition, offset: String(Number(busy.low) + 1) }]);
    expect(one.purged).toBe(1);
    expect(one.partitions.find((p) => p.partition === busy.partition)!.low).toBe(String(Number(busy.low) + 1));
    const bad = await rejection(repo.purge(dlq, [{ partition: 7, offset: '0' }]));
    expect(bad.fields).toEqual([{ field: 'partitions', message: expect.stringContaining('no partition 7') }]);
    const total = (await admin.fetchTopicOffsets(dlq)).reduce((n, o) => n + Number(o.high) - Number(o.low), 0);
    expect((await repo.purge(dlq)).purged).toBe(total);
    expect(await repo.list(dlq, 0, 10)).toEqual({ data: [], next_offset: null });
  });

  it('moves a group only while it has no members: 409 naming them, then by time, to the start, to offsets', async () => {
    const groups = new ConsumerGroupAdmin(kafka, 10000);
    expect(await groups.describe(group)).toMatchObject({ group, members: 1 });
    const busy = await rejection(groups.moveTo(group, topic, { earliest: true }));
    expect(busy.code).toBe(ErrorCode.Conflict);
    expect(busy.message).toContain(`consumer group ${group} has 1 active member(s)`);
    await member.stop();
    const before = handled.length;

    const latest = await groups.moveTo(group, topic, { timestamp: Date.now() + 60000 });
    const ends = (await admin.fetchTopicOffsets(topic)).sort((x, y) => x.partition - y.partition);
    expect(latest.sort((x, y) => x.partition - y.partition)).toEqual(ends.map(({ partition, high }) => ({ partition, offset: high })));
    const start = await groups.moveTo(group, topic, { timestamp: 0 }, true);
    expect(start.map((p) => p.offset)).toEqual(ends.map(() => '0'));
    const [committed] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
    expect(committed!.partitions.map((p) => p.offset)).toEqual(ends.map(() => '0'));
    const highOf = (partition: number) => ends.find((e) => e.partition === partition)!.high;
    expect((await rejection(groups.moveTo(group, topic, { offsets: [{ partition: 0, offset: '999999' }] }))).fields![0]!.field).toBe(
      'offsets',
    );
    expect((await rejection(groups.describe(`it-none-${randomUUID()}`))).code).toBe(ErrorCode.NotFound);

    // Back from the start: every event is read again and dropped as already processed.
    member = consumer();
    await member.start();
    await until(async () => {
      const [c] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
      return c!.partitions.every((p) => p.offset === highOf(p.partition)) ? true : undefined;
    });
    expect(handled.length).toBe(before);
  });

  it('answers 503 naming Kafka when the brokers cannot be reached, within the time budget', async () => {
    const nowhere = createKafka(['127.0.0.1:9'], 'dlq-it-nowhere', undefined, {}, OPERATOR_RETRY);
    const started = Date.now();
    // Refused connections: kafkajs gives up (a few quick retries) before the budget.
    const err = await rejection(new KafkaDeadLetterRepository(nowhere, db.ds, 5000).list(dlq, 0, 10));
    expect(err.code).toBe(ErrorCode.Unavailable);
    expect(err.message).toMatch(/^Kafka unreachable/);
    expect(Date.now() - started).toBeLessThan(5000);
    expect((await rejection(new ConsumerGroupAdmin(nowhere, 5000).describe(group))).code).toBe(ErrorCode.Unavailable);
    // A broker that accepts but never answers: the budget runs out.
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => void sockets.add(socket));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    try {
      const port = (silent.address() as AddressInfo).port;
      const at = Date.now();
      const hung = await rejection(
        new ConsumerGroupAdmin(createKafka([`127.0.0.1:${port}`], 'dlq-it-silent', undefined, {}, OPERATOR_RETRY), 1000).describe(group),
      );
      expect(hung.code).toBe(ErrorCode.Unavailable);
      expect(Date.now() - at).toBeLessThan(3000);
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  });
});
