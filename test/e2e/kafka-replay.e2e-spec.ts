import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { newId } from '@gw/database';
import { createKafka, KafkaPublisher, Topics, type Envelope } from '@gw/kafka';
import { anotherApi, freePort, stop } from '../support/another-api';
import { E2e, env, ErrorBody, eventually, uniqueNumber } from '../support/e2e';

const run = promisify(execFile);

/** An entry as `/admin/kafka/dead-letters/{topic}` lists it. */
interface ApiKafkaDeadLetter {
  id: string;
  topic: string;
  partition: number;
  offset: string;
  original_topic: string;
  original_partition: number | null;
  original_offset: string | null;
  group: string | null;
  event_id: string | null;
  event_type: string | null;
  project_id: string | null;
  reason: string;
  attempts: number | null;
  failed_at: string;
}

interface Totals {
  sms_outbound_segments: number;
  sms_inbound_segments: number;
  call_minutes: number;
}

const DLQ = `${Topics.SmsEvents}.dlq`;
const USAGE_TOPICS = [Topics.SmsEvents, Topics.CallEvents];
/** Attempts of the workers' idempotent consumers before they park an event (IdempotentConsumer's default). */
const CONSUMER_ATTEMPTS = 5;

/**
 * Kafka dead letters and replays against the running stack. An event the usage consumer cannot
 * store (Postgres refuses its ledger row) is parked on `sms.events.v1.dlq`, listed and read through
 * the admin api, replayed once the store takes it (counted exactly once, no longer offered) and
 * purged. The usage counters of real messages and a call are rebuilt from Kafka once the usage
 * consumer is scaled down (409 before), and end equal to what they were.
 */
describe('Kafka dead letters and replay through the admin api', () => {
  const t = new E2e();
  const admin = <T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown) =>
    t.api.adminRaw<T>(env('OPERATOR_SECRET'), method, path, body);
  const kafka = createKafka(env('KAFKA_BROKERS').split(','), 'kafka-replay-e2e');
  const kafkaAdmin = kafka.admin();
  const publisher = new KafkaPublisher(kafka);
  const today = new Date().toISOString().slice(0, 10);
  const tomorrow = new Date(Date.now() + 86400000).toISOString().slice(0, 10);

  /** Restarts the workers with these WORKERS (all of them when undefined), as ops scale a consumer down or up. */
  async function workers(only?: string): Promise<void> {
    const vars: NodeJS.ProcessEnv = { ...process.env };
    if (only) vars.WORKERS = only;
    else delete vars.WORKERS;
    await run('bash', [resolve(__dirname, '../../scripts/apps.sh'), 'restart', 'workers'], { env: vars, timeout: 120000 });
  }

  /** Resolves once the usage group has committed the log end of its topics: it has read everything there. */
  async function usageCaughtUp(): Promise<void> {
    await eventually(
      async () => {
        for (const topic of USAGE_TOPICS) {
          const ends = await kafkaAdmin.fetchTopicOffsets(topic);
          const [committed] = await kafkaAdmin.fetchOffsets({ groupId: 'usage', topics: [topic] });
          for (const { partition, high, low } of ends) {
            const offset = committed!.partitions.find((p) => p.partition === partition)?.offset ?? '-1';
            // A partition that never held a record has nothing to commit.
            if (offset !== high && !(offset === '-1' && high === low)) return undefined;
          }
        }
        return true;
      },
      120000,
      'usage group at the log end',
    );
  }

  beforeAll(async () => {
    await t.start();
    await kafkaAdmin.connect();
    await publisher.connect();
  });
  afterAll(async () => {
    await t.db.query('DROP TRIGGER IF EXISTS kafka_replay_e2e_refuse ON usage_ledger');
    await t.db.query('DROP FUNCTION IF EXISTS kafka_replay_e2e_refuse()');
    await publisher.disconnect();
    await kafkaAdmin.disconnect();
    await t.stop();
  });

  it('parks an event the usage consumer cannot store; lists, reads, replays it once (counted once), purges it', async () => {
    const p = await t.project('kafka-dlq');
    const messageId = newId('msg');
    await t.db.query(
      `CREATE OR REPLACE FUNCTION kafka_replay_e2e_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN RAISE EXCEPTION 'usage store refused %', NEW.source_id; END $$`,
    );
    await t.db.query(
      `CREATE TRIGGER kafka_replay_e2e_refuse BEFORE INSERT ON usage_ledger FOR EACH ROW
       WHEN (NEW.source_id = '${messageId}') EXECUTE FUNCTION kafka_replay_e2e_refuse()`,
    );
    const at = new Date().toISOString();
    const event: Envelope = {
      event_id: randomUUID(),
      type: 'message.status_changed',
      key: messageId,
      payload: { id: messageId, project_id: p.id, direction: 'outbound', status: 'sent', segments: 2, occurred_at: at },
      created_at: at,
      headers: {},
    };
    await publisher.publish(Topics.SmsEvents, [event]);

    const parked = await eventually(
      async () => {
        const page = await admin<{ data: ApiKafkaDeadLetter[] }>('GET', `/admin/kafka/dead-letters/${DLQ}?project_id=${p.id}&limit=100`);
        return page.body.data.find((d) => d.event_id === event.event_id);
      },
      60000,
      'the event parked on the dead-letter topic',
    );
    expect(parked).toMatchObject({
      id: `${parked.partition}-${parked.offset}`,
      topic: DLQ,
      original_topic: Topics.SmsEvents,
      group: 'usage',
      event_type: 'message.status_changed',
      project_id: p.id,
      attempts: CONSUMER_ATTEMPTS,
      reason: `usage store refused ${messageId}`,
    });
    expect(parked.original_partition).toEqual(expect.any(Number));
    expect(parked.original_offset).toMatch(/^\d+$/);
    const filtered = await admin<{ data: ApiKafkaDeadLetter[] }>(
      'GET',
      `/admin/kafka/dead-letters/${DLQ}?project_id=${p.id}&event_type=message.received`,
    );
    expect(filtered.body.data).toEqual([]);

    const one = await admin<ApiKafkaDeadLetter & { value: Envelope }>('GET', `/admin/kafka/dead-letters/${DLQ}/entries/${parked.id}`);
    expect(one.status).toBe(200);
    expect(one.body.value).toMatchObject({ event_id: event.event_id, key: messageId, payload: { segments: 2 } });

    const before = (await p.gw.usage(today, tomorrow)).totals.sms_outbound_segments;
    await t.db.query('DROP TRIGGER kafka_replay_e2e_refuse ON usage_ledger');
    const replay = await admin<{ replayed: number; missing: string[] }>('POST', `/admin/kafka/dead-letters/${DLQ}/replay`, {
      ids: [parked.id],
    });
    expect(replay.status).toBe(200);
    expect(replay.body).toEqual({ replayed: 1, missing: [] });
    await eventually(
      async () => ((await p.gw.usage(today, tomorrow)).totals.sms_outbound_segments === before + 2 ? true : undefined),
      30000,
      'the replayed event counted',
    );
    const again = await admin<{ replayed: number; missing: string[] }>('POST', `/admin/kafka/dead-letters/${DLQ}/replay`, {
      ids: [parked.id],
    });
    expect(again.body).toEqual({ replayed: 0, missing: [parked.id] });
    expect((await admin<ErrorBody>('GET', `/admin/kafka/dead-letters/${DLQ}/entries/${parked.id}`)).status).toBe(404);
    const listed = await admin<{ data: ApiKafkaDeadLetter[] }>('GET', `/admin/kafka/dead-letters/${DLQ}?project_id=${p.id}&limit=100`);
    expect(listed.body.data.map((d) => d.id)).not.toContain(parked.id);
    // The usage group has read past the replayed record: had it counted twice, it would show now.
    await usageCaughtUp();
    expect((await p.gw.usage(today, tomorrow)).totals.sms_outbound_segments).toBe(before + 2);
    const ledger = await t.db.query(`SELECT quantity FROM usage_ledger WHERE source_id = $1`, [messageId]);
    expect(ledger.rows).toEqual([{ quantity: 2 }]);
    const audit = await admin<{ data: Array<{ action: string; target: string; detail: { ids: string[]; count: number } }> }>(
      'GET',
      '/admin/audit-log?action=kafka_dead_letters.replayed&limit=100',
    );
    expect(audit.body.data.find((r) => r.detail.ids.includes(parked.id))).toMatchObject({ target: DLQ, detail: { count: 1 } });

    const upTo = String(BigInt(parked.offset) + 1n);
    const purge = await admin<{ purged: number; partitions: Array<{ partition: number; low: string }> }>(
      'DELETE',
      `/admin/kafka/dead-letters/${DLQ}`,
      {
        partitions: [{ partition: parked.partition, offset: upTo }],
      },
    );
    expect(purge.status).toBe(200);
    expect(purge.body.purged).toBeGreaterThanOrEqual(1);
    expect(purge.body.partitions.find((x) => x.partition === parked.partition)!.low).toBe(upTo);
    const low = (await kafkaAdmin.fetchTopicOffsets(DLQ)).find((x) => x.partition === parked.partition)!.low;
    expect(BigInt(low)).toBeGreaterThanOrEqual(BigInt(upTo));

    expect((await admin<ErrorBody>('GET', '/admin/kafka/dead-letters/sms.events.v1')).status).toBe(404);
    const badId = await admin<ErrorBody>('GET', `/admin/kafka/dead-letters/${DLQ}/entries/abc`);
    expect(badId.status).toBe(400);
    expect(badId.body.error.fields).toEqual([{ field: 'entryId', message: expect.any(String) }]);
    const badPurge = await admin<ErrorBody>('DELETE', `/admin/kafka/dead-letters/${DLQ}`, {
      partitions: [{ partition: 999, offset: '1' }],
    });
    expect(badPurge.status).toBe(400);
    expect(badPurge.body.error.fields![0]!.field).toBe('partitions');
  });

  it('rebuilds the usage counters from Kafka once the usage consumer is scaled down: they end equal', async () => {
    const p = await t.project('kafka-rebuild');
    const long = 'x'.repeat(200); // two GSM-7 segments
    for (const body of ['one segment', long]) {
      const msg = await p.gw.send({ to: uniqueNumber(), from: 'ACME', body });
      await p.gw.waitFor(msg.id, (m) => m.status === 'delivered', 60000);
    }
    const placed = await p.gw.placeCall({
      to: uniqueNumber(),
      from: p.number,
      flow: { version: 1, steps: [{ verb: 'pause', length: 1 }, { verb: 'hangup' }] },
    });
    expect((await p.gw.waitForCall(placed.id)).status).toBe('completed');
    const counted = await eventually(
      async () => {
        const { totals } = await p.gw.usage(today, tomorrow);
        return totals.sms_outbound_segments === 3 && totals.call_minutes === 1 ? totals : undefined;
      },
      60000,
      'usage counted',
    );
    const rows = async () =>
      (
        await t.db.query(
          `SELECT to_char(day, 'YYYY-MM-DD') AS day, metric, quantity FROM usage_daily WHERE project_id = $1 ORDER BY 1, 2`,
          [p.id],
        )
      ).rows;
    const dailyBefore = await rows();

    const busy = await admin<ErrorBody & { error: { message: string } }>('POST', '/admin/usage/rebuild', { from: today, project_id: p.id });
    expect(busy.status).toBe(409);
    expect(busy.body.error.message).toContain('consumer group usage has');
    expect(busy.body.error.message).toContain('scale its consumers down first');
    expect(await rows()).toEqual(dailyBefore);

    try {
      await workers('relay,callbacks,retention');
      await eventually(
        async () => ((await admin<{ members: number }>('GET', '/admin/kafka/consumer-groups/usage')).body.members === 0 ? true : undefined),
        30000,
        'usage group without members',
      );
      const rebuild = await admin<{ cleared_days: number; cleared_ledger: number; offsets: Array<{ topic: string }> }>(
        'POST',
        '/admin/usage/rebuild',
        { from: today, project_id: p.id },
      );
      expect(rebuild.status).toBe(200);
      expect(rebuild.body).toMatchObject({ cleared_days: 2, cleared_ledger: 3 });
      expect(rebuild.body.offsets.map((o) => o.topic)).toEqual(USAGE_TOPICS);
      expect((await p.gw.usage(today, tomorrow)).totals).toEqual({ sms_outbound_segments: 0, sms_inbound_segments: 0, call_minutes: 0 });
    } finally {
      await workers();
    }

    await usageCaughtUp();
    const rebuilt: Totals = (await p.gw.usage(today, tomorrow)).totals;
    expect(rebuilt).toEqual(counted);
    expect(await rows()).toEqual(dailyBefore);
    const audit = await admin<{ data: Array<{ target: string; detail: { from: string } }> }>(
      'GET',
      `/admin/audit-log?action=usage.rebuilt&project_id=${p.id}`,
    );
    expect(audit.body.data[0]).toMatchObject({ target: 'usage', detail: { from: today } });
  });

  it('moves a group only without members (409 naming them) and names each bad field', async () => {
    await eventually(
      async () => ((await admin<{ members: number }>('GET', '/admin/kafka/consumer-groups/usage')).body.members > 0 ? true : undefined),
      30000,
      'usage group with a member',
    );
    // Were it moved, back to the start is harmless for usage: its ledger drops what it counted.
    const busy = await admin<ErrorBody & { error: { message: string } }>('POST', '/admin/kafka/consumer-groups/usage/offsets', {
      topic: Topics.SmsEvents,
      earliest: true,
    });
    expect(busy.status).toBe(409);
    expect(busy.body.error.fields).toEqual([{ field: 'group', message: expect.stringContaining('active member') }]);
    const both = await admin<ErrorBody>('POST', '/admin/kafka/consumer-groups/usage/offsets', {
      topic: Topics.SmsEvents,
      latest: true,
      earliest: true,
    });
    expect(both.body.error.fields![0]!.field).toBe('timestamp');
    const topic = await admin<ErrorBody>('POST', '/admin/kafka/consumer-groups/usage/offsets', { topic: 'nope', earliest: true });
    expect(topic.body.error.fields![0]!.field).toBe('topic');
    expect((await admin<ErrorBody>('GET', `/admin/kafka/consumer-groups/none-${randomUUID()}`)).status).toBe(404);
  });

  it('answers 503 naming the dependency when Kafka (or, for the BullMQ dead letters, Redis) cannot be reached', async () => {
    const noKafka = await anotherApi({ KAFKA_BROKERS: `127.0.0.1:${await freePort()}` });
    try {
      const res = await noKafka.gw.adminRaw<ErrorBody & { error: { message: string } }>(
        env('OPERATOR_SECRET'),
        'GET',
        `/admin/kafka/dead-letters/${DLQ}`,
      );
      expect(res.status).toBe(503);
      expect(res.body.error).toMatchObject({ code: 'service_unavailable', message: expect.stringMatching(/^Kafka unreachable/) });
    } finally {
      await stop(noKafka.api);
    }
    const noRedis = await anotherApi({ REDIS_URL: `redis://127.0.0.1:${await freePort()}` });
    try {
      const res = await noRedis.gw.adminRaw<ErrorBody & { error: { message: string } }>(
        env('OPERATOR_SECRET'),
        'GET',
        '/admin/dead-letters/callbacks',
      );
      expect(res.status).toBe(503);
      expect(res.body.error).toMatchObject({ code: 'service_unavailable', message: expect.stringContaining('Redis') });
    } finally {
      await stop(noRedis.api);
    }
  });
});
