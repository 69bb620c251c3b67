import { randomUUID } from 'node:crypto';
import { Envelope, createKafka, IdempotentConsumer, Topics } from '@gw/kafka';
import { SubmitMessageUseCase } from '../../apps/sms-connector/src/submit-message.usecase';
import { insertQueuedMessage, scratchDatabaseWithProject } from '../support/integration';
import { RecordingAdapter, staticRouting, unlimited } from '../support/routing';

/** A `message.requested` event for `messageId`, as the api's outbox writes it. */
const requestedEvent = (messageId: string): Envelope => ({
  event_id: randomUUID(),
  type: 'message.requested',
  key: messageId,
  payload: { message_id: messageId },
  created_at: new Date().toISOString(),
  headers: {},
});

describe('a redelivered outbound event never submits a message twice (real Postgres)', () => {
  const { db, projectId } = scratchDatabaseWithProject();
  let messageId: string;

  beforeAll(async () => {
    messageId = await insertQueuedMessage(db, projectId);
  });

  it('drops the duplicate event and skips the re-run job', async () => {
    const connector = new RecordingAdapter('conn_counting');
    const useCase = new SubmitMessageUseCase(db.ds, staticRouting([connector]), unlimited, {
      baseUrl: 'http://127.0.0.1:1',
      secret: 's'.repeat(40),
    });
    const handled: string[] = [];
    const consumer = new IdempotentConsumer(createKafka(process.env.KAFKA_BROKERS!.split(','), 'it'), db.ds, {
      group: 'sms-connector-it',
      topics: [Topics.SmsOutbound],
      log: () => undefined,
      handler: async (e) => {
        handled.push(e.event_id);
        await useCase.submit({ message_id: String(e.payload.message_id) });
      },
    });
    const event = requestedEvent(messageId);
    expect(await consumer.process(event)).toBe('handled');
    expect(await consumer.process({ ...event })).toBe('duplicate');
    expect(await useCase.submit({ message_id: messageId })).toBe('skipped');
    expect(handled).toHaveLength(1);
    expect(connector.calls).toHaveLength(1);
    const [row] = await db.ds.query(`SELECT status, provider, provider_message_id FROM messages WHERE id = $1`, [messageId]);
    expect(row).toMatchObject({ status: 'sending', provider: 'test' });
    expect(row.provider_message_id).toEqual(expect.any(String));
  });

  it('without processed_events (the connector consumer dedupes in its handler), a redelivery still submits once', async () => {
    const id = await insertQueuedMessage(db, projectId);
    const connector = new RecordingAdapter('conn_counting');
    const useCase = new SubmitMessageUseCase(db.ds, staticRouting([connector]), unlimited, {
      baseUrl: 'http://127.0.0.1:1',
      secret: 's'.repeat(40),
    });
    const consumer = new IdempotentConsumer(createKafka(process.env.KAFKA_BROKERS!.split(','), 'it'), db.ds, {
      group: 'sms-connector-it-handler',
      topics: [Topics.SmsOutbound],
      log: () => undefined,
      dedupe: 'handler',
      handler: async (e) => void (await useCase.submit({ message_id: String(e.payload.message_id) })),
    });
    const event = requestedEvent(id);
    expect(await consumer.process(event)).toBe('handled');
    expect(await consumer.process({ ...event })).toBe('handled');
    expect(connector.calls).toHaveLength(1);
    const seen: unknown[] = await db.ds.query(`SELECT 1 FROM processed_events WHERE consumer = 'sms-connector-it-handler'`);
    expect(seen).toHaveLength(0);
  });
});
