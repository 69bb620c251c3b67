import type { DataSource } from 'typeorm';
import { DomainError, ErrorCode } from '@gw/errors';
import { ConsumerGroupAdmin, createKafka, KafkaDeadLetterRepository, OPERATOR_RETRY } from '@gw/kafka';
import { DeadLetterRepository } from '@gw/queues';
import type { AuditLogRepository } from '../../audit/audit-log.repository';
import { DeadLettersUseCases } from '../dead-letters/dead-letters.usecases';
import { KafkaAdminUseCases } from './kafka-admin.usecases';
import type { UsageCountersRepository } from './usage-counters.repository';

/** The DomainError a promise rejects with (fails when it resolves). */
async function rejection(p: Promise<unknown>): Promise<DomainError> {
  try {
    await p;
  } catch (err) {
    return err as DomainError;
  }
  throw new Error('did not reject');
}

/** Port 9 (discard) on loopback: nothing listens there, so every connection is refused at once. */
const NOWHERE = '127.0.0.1:9';

/**
 * The operator's dead-letter routes when their store cannot be reached: a 503 naming it (Kafka,
 * Redis), never a 500, within the time budget. Postgres is not reached before that.
 */
describe('dead letters with their store unreachable', () => {
  const ds = {} as DataSource;
  const audit = {} as AuditLogRepository;

  it('answers service_unavailable naming Kafka for the Kafka dead-letter topics and consumer groups', async () => {
    const kafka = createKafka([NOWHERE], 'unreachable-spec', undefined, {}, OPERATOR_RETRY);
    const usecases = new KafkaAdminUseCases(
      ds,
      new KafkaDeadLetterRepository(kafka, ds, 5000),
      new ConsumerGroupAdmin(kafka, 5000),
      {} as UsageCountersRepository,
      audit,
    );
    const started = Date.now();
    for (const call of [() => usecases.list('sms.events.v1.dlq', {}), () => usecases.describeGroup('usage')]) {
      const err = await rejection(call());
      expect(err.code).toBe(ErrorCode.Unavailable);
      expect(err.message).toMatch(/^Kafka unreachable/);
    }
    expect(Date.now() - started).toBeLessThan(10000);
  });

  it('answers service_unavailable naming Redis for the BullMQ dead-letter queues', async () => {
    const repo = new DeadLetterRepository(`redis://${NOWHERE}`, ['callbacks'], 10, 1000);
    try {
      const err = await rejection(new DeadLettersUseCases(ds, repo, audit).list('callbacks', {}));
      expect(err.code).toBe(ErrorCode.Unavailable);
      expect(err.message).toBe('dead-letter queues unreachable (Redis)');
    } finally {
      await repo.close();
    }
  });
});
