import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * W3C trace context (`traceparent`, https://www.w3.org/TR/trace-context/) stored with the rows that
 * later work picks up in another process, so one message or call is one trace: the outbox row
 * carries the context of the change that wrote it (the relay publishes it in the Kafka headers);
 * the message row keeps the context of its acceptance (a carrier's receipt arrives without one);
 * the call row the context its verbs run under. NULL when tracing is off or the trace unsampled.
 */
export class Traceparent1764800000000 implements MigrationInterface {
  name = 'Traceparent1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox ADD COLUMN traceparent text`);
    await q.query(`ALTER TABLE messages ADD COLUMN traceparent text`);
    await q.query(`ALTER TABLE calls ADD COLUMN traceparent text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE calls DROP COLUMN traceparent`);
    await q.query(`ALTER TABLE messages DROP COLUMN traceparent`);
    await q.query(`ALTER TABLE outbox DROP COLUMN traceparent`);
  }
}
