import { context, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { newId } from '@gw/database';
import { applyReceipt } from '@gw/sms';
import { ScratchDatabase } from '@gw/stack-client';
import { InMemoryTracing, traceparentOf } from '@gw/tracing';
import { acceptStatement, newOutboundMessage } from '../../apps/api/src/messages/accept-statement';

/** The stored trace context of a message: on its row and its outbox events (real Postgres, SDK with an in-memory exporter). */
describe('trace context stored with messages and outbox rows', () => {
  const db = new ScratchDatabase(process.env.DATABASE_URL!);
  const tracing = new InMemoryTracing();
  let projectId: string;

  beforeAll(async () => {
    tracing.start();
    await db.create();
    projectId = newId('prj');
    await db.ds.query(`INSERT INTO projects (id, name, webhook_secret) VALUES ($1, 'p', 'whsec_x')`, [projectId]);
  });
  afterAll(async () => {
    await db.drop();
    await tracing.stop();
  });

  it('keeps the accepting request on the message and its outbox event, and applies a later receipt in that trace', async () => {
    const request = trace.getTracer('spec').startSpan('POST /v1/messages');
    const accepted = trace.setSpan(ROOT_CONTEXT, request);
    const message = context.with(accepted, () =>
      newOutboundMessage({ projectId, to: '+14155550100', from: 'ACME', body: 'hi', encoding: 'GSM-7', segments: 1 }),
    );
    await db.ds.query(...acceptStatement([{ message }]));
    request.end();
    const stored = traceparentOf(accepted);
    const [row] = (await db.ds.query(
      `SELECT m.traceparent AS message, o.traceparent AS outbox FROM messages m JOIN outbox o ON o.key = m.id WHERE m.id = $1`,
      [message.id],
    )) as Array<{ message: string; outbox: string }>;
    expect(row).toEqual({ message: stored, outbox: stored });

    // The carrier's DLR arrives in a request of its own, without the message's context.
    const dlr = trace.getTracer('spec').startSpan('POST /webhooks/jasmin/dlr');
    const result = await context.with(trace.setSpan(ROOT_CONTEXT, dlr), () =>
      applyReceipt(db.ds.manager, {
        connectorId: 'conn_x',
        messageId: message.id,
        receipt: { providerMessageId: 'p1', status: 'delivered', carrierStatus: 'DELIVRD', carrierCode: '000', description: 'ok' },
      }),
    );
    dlr.end();
    expect(result.outcome).toBe('applied');

    const receipt = await tracing.span('sms.receipt');
    expect(receipt.spanContext().traceId).toBe(request.spanContext().traceId);
    expect(receipt.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
    const [event] = (await db.ds.query(`SELECT traceparent FROM outbox WHERE key = $1 AND type = 'message.status_changed'`, [
      message.id,
    ])) as Array<{
      traceparent: string;
    }>;
    expect(event.traceparent).toBe(`00-${request.spanContext().traceId}-${receipt.spanContext().spanId}-01`);
  });

  it('stores no context for a message accepted outside any trace', async () => {
    const message = newOutboundMessage({ projectId, to: '+14155550101', from: 'ACME', body: 'hi', encoding: 'GSM-7', segments: 1 });
    await db.ds.query(...acceptStatement([{ message }]));
    const [row] = (await db.ds.query(
      `SELECT m.traceparent AS message, o.traceparent AS outbox FROM messages m JOIN outbox o ON o.key = m.id WHERE m.id = $1`,
      [message.id],
    )) as Array<{ message: string | null; outbox: string | null }>;
    expect(row).toEqual({ message: null, outbox: null });
  });
});
