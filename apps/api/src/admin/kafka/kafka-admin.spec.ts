import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { DomainError, ErrorCode, fieldErrorsOf } from '@gw/errors';
import { replayedKey } from '@gw/kafka';
import {
  ConsumerGroupOffsetsDto,
  KafkaDeadLetterQueryDto,
  KafkaDeadLetterSelectionDto,
  KafkaPurgeDto,
  MAX_KAFKA_DEAD_LETTER_IDS,
  UsageRebuildDto,
} from './dto/kafka-admin.dto';
import { deadLetterTopicNamed, KAFKA_DEAD_LETTER_TOPICS, targetOf } from './kafka-admin.usecases';

/** The fields the api's validation pipe names (same options: unknown fields refused). */
const fieldsOf = async (cls: new () => object, body: unknown) =>
  fieldErrorsOf(await validate(plainToInstance(cls, body) as object, { whitelist: true, forbidNonWhitelisted: true })).map((f) => f.field);

/** The error a call throws (the test fails when it does not throw). */
function thrown(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (err) {
    return err as DomainError;
  }
  throw new Error('did not throw');
}

describe('Kafka dead-letter bodies and queries', () => {
  it('takes entry ids, or all: true with filters; names each bad field', async () => {
    expect(await fieldsOf(KafkaDeadLetterSelectionDto, { ids: ['0-0', '3-17'] })).toEqual([]);
    expect(await fieldsOf(KafkaDeadLetterSelectionDto, { all: true, project_id: 'prj_a', event_type: 'message.status_changed' })).toEqual(
      [],
    );
    expect(await fieldsOf(KafkaDeadLetterSelectionDto, { ids: ['3-17', '3-17'] })).toEqual(['ids']);
    expect(await fieldsOf(KafkaDeadLetterSelectionDto, { ids: ['msg_1'] })).toEqual(['ids']);
    expect(await fieldsOf(KafkaDeadLetterSelectionDto, { ids: ['01-2'] })).toEqual(['ids']);
    const many = Array.from({ length: MAX_KAFKA_DEAD_LETTER_IDS + 1 }, (_, i) => `0-${i}`);
    expect(await fieldsOf(KafkaDeadLetterSelectionDto, { ids: many })).toEqual(['ids']);
    expect(await fieldsOf(KafkaDeadLetterSelectionDto, { all: false, event_type: 'Bad Type' })).toEqual(['all', 'event_type']);
    expect(await fieldsOf(KafkaDeadLetterQueryDto, { limit: '0', project_id: 'x' })).toEqual(['project_id', 'limit']);
  });

  it('purges all or per partition before an offset, naming a bad partition or offset', async () => {
    expect(await fieldsOf(KafkaPurgeDto, { all: true })).toEqual([]);
    expect(await fieldsOf(KafkaPurgeDto, { partitions: [{ partition: 3, offset: '18' }] })).toEqual([]);
    expect(await fieldsOf(KafkaPurgeDto, { partitions: [] })).toEqual(['partitions']);
    const nested = await fieldsOf(KafkaPurgeDto, { partitions: [{ partition: -1, offset: '-5' }] });
    expect(nested.every((f) => f.startsWith('partitions'))).toBe(true);
    expect(nested.length).toBeGreaterThan(0);
  });

  it('knows the dead-letter topic of each event topic and answers not_found naming any other', () => {
    expect(KAFKA_DEAD_LETTER_TOPICS).toEqual(expect.arrayContaining(['sms.events.v1.dlq', 'calls.events.v1.dlq', 'sms.outbound.v1.dlq']));
    expect(deadLetterTopicNamed('sms.events.v1.dlq')).toBe('sms.events.v1.dlq');
    for (const name of ['sms.events.v1', 'callbacks', '__consumer_offsets']) {
      const err = thrown(() => deadLetterTopicNamed(name));
      expect(err.code).toBe(ErrorCode.NotFound);
      expect(err.message).toContain(`'${name}'`);
    }
  });

  it('records a replayed entry under a stable UUID of its place', () => {
    const key = replayedKey('sms.events.v1.dlq', 3, '17');
    expect(key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(replayedKey('sms.events.v1.dlq', 3, '17')).toBe(key);
    expect(replayedKey('sms.events.v1.dlq', 3, '18')).not.toBe(key);
    expect(replayedKey('calls.events.v1.dlq', 3, '17')).not.toBe(key);
  });
});

describe('consumer-group offsets and usage rebuild bodies', () => {
  it('takes a known topic and exactly one of timestamp, earliest, latest, offsets', async () => {
    expect(await fieldsOf(ConsumerGroupOffsetsDto, { topic: 'sms.events.v1', timestamp: '2026-12-01T10:00:00Z' })).toEqual([]);
    expect(await fieldsOf(ConsumerGroupOffsetsDto, { topic: 'sms.events.v1.dlq', timestamp: '2026-13-01' })).toEqual([
      'topic',
      'timestamp',
    ]);
    expect(targetOf({ topic: 'sms.events.v1', timestamp: '2026-12-01' })).toEqual({ timestamp: Date.UTC(2026, 11, 1) });
    expect(targetOf({ topic: 'sms.events.v1', timestamp: '2026-12-01T01:00:00+01:00' })).toEqual({ timestamp: Date.UTC(2026, 11, 1) });
    expect(targetOf({ topic: 'sms.events.v1', earliest: true })).toEqual({ earliest: true });
    expect(targetOf({ topic: 'sms.events.v1', offsets: [{ partition: 1, offset: '5' }] })).toEqual({
      offsets: [{ partition: 1, offset: '5' }],
    });
    for (const dto of [{ topic: 'sms.events.v1' }, { topic: 'sms.events.v1', earliest: true, latest: true } as ConsumerGroupOffsetsDto]) {
      expect(thrown(() => targetOf(dto)).fields).toEqual([
        { field: 'timestamp', message: 'give exactly one of timestamp, earliest, latest and offsets' },
      ]);
    }
  });

  it('rebuilds from a calendar day, optionally of one project', async () => {
    expect(await fieldsOf(UsageRebuildDto, { from: '2026-12-01', project_id: 'prj_a' })).toEqual([]);
    expect(await fieldsOf(UsageRebuildDto, { from: '2026-02-30' })).toEqual(['from']);
    expect(await fieldsOf(UsageRebuildDto, {})).toEqual(['from']);
  });
});
