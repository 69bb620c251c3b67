import { createHash } from 'node:crypto';
import { request } from 'undici';
import { ApiCall, ApiMessage, AriSimControl, UsageTotals } from '@gw/stack-client';
import { E2e, env, eventually, TestProject, uniqueNumber } from '../support/e2e';

/** The erasure as `GET /admin/projects/{id}/erasures/{erasureId}` shows it. */
interface ApiErasure {
  id: string;
  status: string;
  phase: string;
  phone_sha256: string;
  counts: Record<string, number | null>;
  last_error: string | null;
  completed_at: string | null;
}

/**
 * Subscriber erasure through the whole stack: an MT (delivered by the SMSC simulator), an MO and a
 * recorded call (ARI simulator) of one subscriber, then `POST /admin/projects/{id}/erasures`; the
 * workers' retention role runs it (every ERASURE_POLL_INTERVAL_MS).
 */
describe('subscriber erasure', () => {
  const t = new E2e();
  const sim = new AriSimControl(env('ARI_URL'));
  let p: TestProject;

  /** An operator request (X-Operator-Secret) to the api. */
  const admin = async <T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; body: T }> => {
    const res = await request(`http://127.0.0.1:${env('API_PORT')}${path}`, {
      method,
      headers: { 'x-operator-secret': env('OPERATOR_SECRET'), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10000),
    });
    return { status: res.statusCode, body: (await res.body.json()) as T };
  };
  const today = () => new Date().toISOString().slice(0, 10);

  beforeAll(async () => {
    await t.start();
    p = await t.project('erasure');
  });
  afterAll(() => t.stop());

  it("redacts the subscriber's messages and call, deletes the recording, keeps usage, and audits the request", async () => {
    const own = uniqueNumber();
    await t.api.addNumber(env('OPERATOR_SECRET'), p.id, own);
    const subscriber = uniqueNumber();

    const mt = await p.gw.send({ to: subscriber, from: own, body: 'Your code is 4711' });
    await p.gw.waitFor(mt.id, (m) => m.status === 'delivered');
    await t.smsc.sendMo(subscriber, own, 'I live at 1 Main Street');
    const mo = await eventually(async () => {
      const page = (await p.gw.getRaw(`/v1/messages?direction=inbound&from=${encodeURIComponent(subscriber)}`)).body as {
        data: ApiMessage[];
      };
      return page.data[0];
    });

    await sim.setRules([{ number: subscriber, speechMs: 1500, digits: [{ digits: '#', atMs: 2500 }] }]);
    const flow = {
      version: 1,
      steps: [
        { verb: 'say', text: 'Hello Alice, please leave a message' },
        { verb: 'record', maxLength: 10, finishOnKey: '#', beep: true },
        { verb: 'hangup' },
      ],
    };
    const call = await p.gw.waitForCall((await p.gw.placeCall({ to: subscriber, from: own, flow })).id);
    expect(call.status).toBe('completed');
    expect(call.recordings).toHaveLength(1);
    const recordingUrl = call.recordings[0].url;
    expect((await p.gw.getBytes(recordingUrl)).status).toBe(200);

    const usage = await eventually(async () => {
      const u = (await p.gw.usage(today(), today())).totals;
      return u.sms_outbound_segments >= 1 && u.sms_inbound_segments >= 1 && u.call_minutes >= 1 ? u : undefined;
    });

    const accepted = await admin<ApiErasure>('POST', `/admin/projects/${p.id}/erasures`, { phone: subscriber });
    expect(accepted.status).toBe(202);
    expect(accepted.body).toMatchObject({ id: expect.stringMatching(/^era_/), status: 'pending' });
    const erasureId = accepted.body.id;
    expect((await admin('POST', `/admin/projects/${p.id}/erasures`, { phone: '0044 20' })).status).toBe(400);
    expect((await admin('POST', `/admin/projects/${p.id}/erasures`, { phone: own })).status).toBe(400);

    const done = await eventually(
      async () => {
        const res = await admin<ApiErasure>('GET', `/admin/projects/${p.id}/erasures/${erasureId}`);
        return res.body.status === 'completed' ? res.body : undefined;
      },
      60000,
      'the erasure to complete',
      500,
    );
    expect(done.counts).toMatchObject({ messages_erased: 2, calls_erased: 1, recordings_deleted: 1 });
    expect(done.phone_sha256).toBe(createHash('sha256').update(`${p.id}:${subscriber}`).digest('hex'));

    const marker = `erased:${erasureId}`;
    const sent = (await p.gw.message(mt.id)) as ApiMessage & { redacted_at: string | null };
    expect(sent).toMatchObject({ body: '', to: marker, from: own, status: 'delivered', segments: mt.segments });
    expect(sent.redacted_at).not.toBeNull();
    expect(sent.timeline?.map((e) => e.status)).toEqual(expect.arrayContaining(['queued', 'delivered']));
    expect(await p.gw.message(mo.id)).toMatchObject({ body: '', from: marker, to: own, status: 'received' });

    const erasedCall = (await p.gw.call(call.id)) as ApiCall & {
      timeline_redacted_at: string | null;
      recordings: Array<{ deleted_at: string | null }>;
    };
    expect(erasedCall).toMatchObject({ status: 'completed', to: marker, duration_s: call.duration_s, hangup_cause: call.hangup_cause });
    expect(erasedCall.timeline_redacted_at).not.toBeNull();
    expect(erasedCall.recordings[0].deleted_at).not.toBeNull();
    expect(JSON.stringify(erasedCall.timeline)).not.toContain('Alice');
    expect((await p.gw.getBytes(recordingUrl)).status).toBe(404);

    const after: UsageTotals = (await p.gw.usage(today(), today())).totals;
    expect(after).toEqual(usage);

    const audit = await admin<{ data: Array<{ action: string; target: string; actor: string; detail: Record<string, unknown> }> }>(
      'GET',
      `/admin/audit-log?project_id=${p.id}&action=subscriber.erased`,
    );
    expect(audit.status).toBe(200);
    expect(audit.body.data).toEqual([
      expect.objectContaining({
        action: 'subscriber.erased',
        target: erasureId,
        actor: 'operator',
        detail: { phone_sha256: done.phone_sha256 },
      }),
    ]);
    expect(JSON.stringify(audit.body)).not.toContain(subscriber);
  });
});
