import { TERMINAL } from '@gw/stack-client';
import { E2e, env, ErrorBody, eventually, TestProject, uniqueNumber } from '../support/e2e';

/** A dead letter as `/admin/dead-letters/{queue}` lists it. */
interface ApiDeadLetter {
  id: string;
  queue: string;
  data: Record<string, unknown>;
  reason: string;
  attempts: number;
  failed_at: string;
}

/** One row of `GET /admin/audit-log`. */
interface AuditRow {
  actor: string;
  action: string;
  target: string | null;
  detail: { queue?: string; count?: number; ids?: string[]; all?: boolean };
}

/**
 * The operator's dead-letter API against the running stack: callbacks to a receiver answering 500
 * are dead-lettered, listed and read through the api, replayed once the receiver is fixed (each
 * delivered exactly once, the dead letters gone, the replay audited) or purged; a submission whose
 * message is final is not replayed. The workers run with the short CALLBACK_* policy of the tests.
 */
describe('dead-letter queues through the admin api', () => {
  const t = new E2e();
  const admin = <T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown) =>
    t.api.adminRaw<T>(env('OPERATOR_SECRET'), method, path, body);
  const attempts = Number(process.env.CALLBACK_ATTEMPTS ?? 3);

  beforeAll(() => t.start());
  afterAll(() => t.stop());

  /** Sends an MT for a project whose receiver answers 500 and resolves with the ids of its callback events once all are dead-lettered. */
  async function deadLetteredCallbacks(p: TestProject): Promise<string[]> {
    p.receiver.respondWith = 500;
    const msg = await p.gw.send({ to: uniqueNumber(), from: 'ACME', body: 'nobody listens yet' });
    await p.gw.waitFor(msg.id, (m) => m.status === 'delivered', 60000);
    const eventIds = (
      await t.db.query<{ event_id: string }>(`SELECT event_id FROM outbox WHERE key = $1 AND type = 'message.status_changed'`, [msg.id])
    ).rows.map((r) => r.event_id);
    expect(eventIds.length).toBeGreaterThanOrEqual(3);
    await eventually(
      async () => {
        const page = await admin<{ data: ApiDeadLetter[] }>('GET', `/admin/dead-letters/callbacks?project_id=${p.id}&limit=100`);
        const listed = new Set(page.body.data.map((d) => d.id));
        return eventIds.every((id) => listed.has(id)) ? true : undefined;
      },
      60000,
      'every callback dead-lettered',
    );
    return eventIds;
  }

  it('lists and reads dead callbacks, replays them once the receiver is fixed: each delivered once, gone from the queue, audited', async () => {
    const p = await t.project('dead-letters-replay');
    const eventIds = await deadLetteredCallbacks(p);

    const page = await admin<{ data: ApiDeadLetter[]; next_cursor: string | null }>(
      'GET',
      `/admin/dead-letters/callbacks?project_id=${p.id}&limit=100`,
    );
    expect(page.status).toBe(200);
    expect(page.body.data).toHaveLength(eventIds.length);
    for (const d of page.body.data) {
      expect(d).toMatchObject({ queue: 'callbacks', reason: 'receiver answered 500', attempts, data: { project_id: p.id } });
    }
    const failedAt = page.body.data.map((d) => Date.parse(d.failed_at));
    expect(failedAt).toEqual([...failedAt].sort((a, b) => b - a));

    const one = await admin<ApiDeadLetter & { history: { state: string; attempts_made: number; stacktrace: string[] } | null }>(
      'GET',
      `/admin/dead-letters/callbacks/entries/${eventIds[0]}`,
    );
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ id: eventIds[0], history: { state: 'completed', attempts_made: attempts } });
    expect(one.body.history!.stacktrace).toHaveLength(attempts - 1);

    p.receiver.respondWith = 200;
    const attemptsBefore = p.receiver.attempts;
    const replay = await admin<{ replayed: number; missing: string[] }>('POST', '/admin/dead-letters/callbacks/replay', { ids: eventIds });
    expect(replay.status).toBe(200);
    expect(replay.body).toEqual({ replayed: eventIds.length, missing: [] });

    await eventually(
      async () => (eventIds.every((id) => p.receiver.received.some((c) => c.id === id)) ? true : undefined),
      30000,
      'every replayed callback received',
    );
    // Room for a second delivery to show up, were there one.
    await new Promise((r) => setTimeout(r, 1500));
    for (const id of eventIds) expect(p.receiver.received.filter((c) => c.id === id && c.verified)).toHaveLength(1);
    expect(p.receiver.attempts - attemptsBefore).toBe(eventIds.length);

    const after = await admin<{ data: ApiDeadLetter[] }>('GET', `/admin/dead-letters/callbacks?project_id=${p.id}&limit=100`);
    expect(after.body.data).toEqual([]);
    expect((await admin<ErrorBody>('GET', `/admin/dead-letters/callbacks/entries/${eventIds[0]}`)).status).toBe(404);
    const again = await admin<{ replayed: number; missing: string[] }>('POST', '/admin/dead-letters/callbacks/replay', { ids: eventIds });
    expect(again.body).toEqual({ replayed: 0, missing: eventIds });

    const audit = await admin<{ data: AuditRow[] }>('GET', '/admin/audit-log?action=dead_letters.replayed&limit=100');
    const row = audit.body.data.find((r) => r.detail.count === eventIds.length && eventIds.every((id) => r.detail.ids?.includes(id)));
    expect(row).toMatchObject({ actor: 'operator', target: 'callbacks', detail: { queue: 'callbacks', all: false } });
  });

  it("purges a project's dead callbacks, none of which is then delivered", async () => {
    const p = await t.project('dead-letters-purge');
    const eventIds = await deadLetteredCallbacks(p);
    p.receiver.respondWith = 200;
    const purge = await admin<{ purged: number; missing: string[] }>('DELETE', '/admin/dead-letters/callbacks', {
      all: true,
      project_id: p.id,
    });
    expect(purge.body).toEqual({ purged: eventIds.length, missing: [] });
    expect((await admin<{ data: ApiDeadLetter[] }>('GET', `/admin/dead-letters/callbacks?project_id=${p.id}`)).body.data).toEqual([]);
    const audit = await admin<{ data: Array<AuditRow & { project_id: string | null }> }>(
      'GET',
      `/admin/audit-log?action=dead_letters.purged&project_id=${p.id}`,
    );
    expect(audit.body.data[0]).toMatchObject({ target: 'callbacks', detail: { all: true, count: eventIds.length } });
    await new Promise((r) => setTimeout(r, 1000));
    expect(p.receiver.received).toHaveLength(0);
  });

  it('refuses to replay a submission whose message is final, naming it, and answers 404 naming an unknown queue', async () => {
    const p = await t.project('dead-letters-sms');
    const msg = await p.gw.send({ to: uniqueNumber(), from: 'ACME', body: 'delivered already' });
    await p.gw.waitFor(msg.id, (m) => TERMINAL.has(m.status), 60000);
    // A dead letter as the connector writes it, for a message that reached a final status.
    await t.queue('sms-submit.dlq').add(
      'dead-letter',
      {
        data: { message_id: msg.id },
        queue: 'sms-submit',
        reason: 'jasmin unreachable',
        attempts: 6,
        failed_at: new Date().toISOString(),
      },
      { jobId: msg.id, removeOnComplete: false, removeOnFail: false },
    );
    const refused = await admin<ErrorBody>('POST', '/admin/dead-letters/sms-submit/replay', { ids: [msg.id] });
    expect(refused.status).toBe(409);
    expect(refused.body.error.fields).toEqual([{ field: 'ids', message: expect.stringContaining(msg.id) }]);
    expect((await admin('GET', `/admin/dead-letters/sms-submit/entries/${msg.id}`)).status).toBe(200);
    expect((await admin('DELETE', '/admin/dead-letters/sms-submit', { ids: [msg.id] })).body).toEqual({ purged: 1, missing: [] });

    const unknown = await admin<ErrorBody & { error: { message: string } }>('GET', '/admin/dead-letters/usage');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toContain("'usage'");
    const filtered = await admin<ErrorBody>('GET', `/admin/dead-letters/sms-submit?project_id=${p.id}`);
    expect(filtered.status).toBe(400);
    expect(filtered.body.error.fields).toEqual([{ field: 'project_id', message: 'sms-submit dead letters carry no project id' }]);
    expect((await admin<ErrorBody>('POST', '/admin/dead-letters/callbacks/replay', {})).body.error.fields![0]!.field).toBe('ids');
  });
});
