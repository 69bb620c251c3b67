import { NotSubmittedError } from '@gw/connectors';
import { PermanentError, RetryableError } from '@gw/queues';
import { applyReceipt } from '@gw/sms';
import { SubmitMessageUseCase } from '../../apps/sms-connector/src/submit-message.usecase';
import { insertQueuedMessage, scratchDatabaseWithProject } from '../support/integration';
import { RecordingAdapter, staticRouting, unlimited } from '../support/routing';

const dlr = { baseUrl: 'http://127.0.0.1:1', secret: 's'.repeat(40) };
const refused = async (): Promise<never> => {
  throw new NotSubmittedError('connection refused');
};
const silent = async (): Promise<never> => {
  throw new RetryableError('no answer within 5000 ms');
};

/** Failover over the connectors of a route, on real Postgres: which connector carried each attempt, and never two carriers for one message. */
describe('submitting through a route of connectors (real Postgres)', () => {
  const { db, projectId } = scratchDatabaseWithProject();
  const submissionsOf = (id: string) =>
    db.ds.query(
      `SELECT attempt, connector_id, outcome, provider_message_id FROM message_submissions WHERE message_id = $1 ORDER BY attempt`,
      [id],
    );
  const messageRow = async (id: string) =>
    (await db.ds.query(`SELECT status, connector_id, provider_message_id FROM messages WHERE id = $1`, [id]))[0];

  it('moves a message to the next connector when the first provably did not take it, and records both attempts', async () => {
    const a = new RecordingAdapter('conn_a', refused);
    const b = new RecordingAdapter('conn_b', async () => ({ providerMessageId: 'b-1' }));
    const useCase = new SubmitMessageUseCase(db.ds, staticRouting([a, b]), unlimited, dlr);
    const id = await insertQueuedMessage(db, projectId);
    expect(await useCase.submit({ message_id: id })).toBe('submitted');
    expect([a.calls.length, b.calls.length]).toEqual([1, 1]);
    expect(await submissionsOf(id)).toEqual([
      { attempt: 1, connector_id: 'conn_a', outcome: 'not_submitted', provider_message_id: null },
      { attempt: 2, connector_id: 'conn_b', outcome: 'submitted', provider_message_id: 'b-1' },
    ]);
    expect(await messageRow(id)).toEqual({ status: 'sending', connector_id: 'conn_b', provider_message_id: 'b-1' });
    expect(new URL(b.calls[0]!.dlrUrl).searchParams.get('conn')).toBe('conn_b');
    expect(await useCase.submit({ message_id: id })).toBe('skipped');
  });

  it('keeps a message whose outcome is unknown on its connector for every retry, even once that connector refuses', async () => {
    const a = new RecordingAdapter('conn_a', silent);
    const b = new RecordingAdapter('conn_b');
    const useCase = new SubmitMessageUseCase(db.ds, staticRouting([a, b]), unlimited, dlr);
    const id = await insertQueuedMessage(db, projectId);
    await expect(useCase.submit({ message_id: id })).rejects.toThrow(RetryableError);
    a.answer = refused;
    await expect(useCase.submit({ message_id: id })).rejects.toThrow(/no connector took the message/);
    a.answer = async () => ({ providerMessageId: 'a-1' });
    expect(await useCase.submit({ message_id: id })).toBe('submitted');
    expect(b.calls).toHaveLength(0);
    expect((await submissionsOf(id)).map((s: { outcome: string }) => s.outcome)).toEqual(['unknown', 'not_submitted', 'submitted']);
  });

  it('skips a connector whose breaker opened without calling it, and tries it again after the half-open wait', async () => {
    const a = new RecordingAdapter('conn_a', refused);
    const b = new RecordingAdapter('conn_b');
    const routing = staticRouting([a, b], { breakerFailures: 2, breakerHalfOpenMs: 400 });
    const useCase = new SubmitMessageUseCase(db.ds, routing, unlimited, dlr);
    for (let i = 0; i < 4; i++) expect(await useCase.submit({ message_id: await insertQueuedMessage(db, projectId) })).toBe('submitted');
    expect(a.calls).toHaveLength(2);
    expect(routing.live[0]!.breaker.state()).toBe('open');
    a.answer = async () => ({ providerMessageId: 'probe' });
    await new Promise((r) => setTimeout(r, 450));
    const probed = await insertQueuedMessage(db, projectId);
    expect(await useCase.submit({ message_id: probed })).toBe('submitted');
    expect(a.calls).toHaveLength(3);
    expect(routing.live[0]!.breaker.state()).toBe('closed');
    expect((await messageRow(probed)).connector_id).toBe('conn_a');
  });

  it('obeys the operator: forced open is skipped, forced closed is called even after failures', async () => {
    const a = new RecordingAdapter('conn_a');
    const b = new RecordingAdapter('conn_b');
    const routing = staticRouting([a, b]);
    const useCase = new SubmitMessageUseCase(db.ds, routing, unlimited, dlr);
    routing.live[0]!.breaker.configure({ failures: 5, halfOpenAfterMs: 5000 }, 'open');
    await useCase.submit({ message_id: await insertQueuedMessage(db, projectId) });
    expect([a.calls.length, b.calls.length]).toEqual([0, 1]);
    expect(routing.live[0]!.breaker.state()).toBe('forced-open');
    routing.live[0]!.breaker.configure({ failures: 1, halfOpenAfterMs: 5000 }, 'closed');
    a.answer = refused;
    for (let i = 0; i < 3; i++) await useCase.submit({ message_id: await insertQueuedMessage(db, projectId) });
    expect(a.calls).toHaveLength(3);
  });

  it('fails a message no route covers for good, naming no_route', async () => {
    const useCase = new SubmitMessageUseCase(db.ds, { candidates: () => [], connector: () => undefined }, unlimited, dlr);
    const err = await useCase.submit({ message_id: await insertQueuedMessage(db, projectId) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PermanentError);
    expect((err as PermanentError).code).toBe('no_route');
  });

  it('applies a receipt only for the connector and id the message was submitted with', async () => {
    const a = new RecordingAdapter('conn_a', refused);
    const b = new RecordingAdapter('conn_b', async () => ({ providerMessageId: 'smpp-77' }));
    const useCase = new SubmitMessageUseCase(db.ds, staticRouting([a, b]), unlimited, dlr);
    const id = await insertQueuedMessage(db, projectId);
    await useCase.submit({ message_id: id });
    const receipt = { status: 'delivered' as const, carrierStatus: 'DELIVRD', carrierCode: null, description: 'delivered to the handset' };
    expect(
      (await applyReceipt(db.ds.manager, { connectorId: 'conn_a', messageId: id, receipt: { ...receipt, providerMessageId: 'x' } }))
        .outcome,
    ).toBe('other_connector');
    expect(
      (await applyReceipt(db.ds.manager, { connectorId: 'conn_a', receipt: { ...receipt, providerMessageId: 'smpp-77' } })).outcome,
    ).toBe('unknown_message');
    const applied = await applyReceipt(db.ds.manager, { connectorId: 'conn_b', receipt: { ...receipt, providerMessageId: 'smpp-77' } });
    expect(applied.outcome).toBe('applied');
    // The attempt the receipt matched, for its latency: conn_b (no connectors row here, so named by id), begun moments ago.
    expect(applied.submission).toMatchObject({ connectorId: 'conn_b', connectorName: 'conn_b' });
    expect(applied.submission!.ageSeconds).toBeGreaterThanOrEqual(0);
    expect(applied.submission!.ageSeconds).toBeLessThan(60);
    expect(
      (await applyReceipt(db.ds.manager, { connectorId: 'conn_b', receipt: { ...receipt, providerMessageId: 'smpp-77' } })).outcome,
    ).toBe('duplicate');
    const [event] = await db.ds.query(`SELECT connector_id FROM message_status_events WHERE message_id = $1 AND status = 'delivered'`, [
      id,
    ]);
    expect(event.connector_id).toBe('conn_b');
    expect((await messageRow(id)).status).toBe('delivered');
  });
});
