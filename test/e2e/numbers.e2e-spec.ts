import { ApiMessage, CallbackReceiver, HttpAnswer, RECEIVER_PORTS } from '@gw/stack-client';
import { E2e, env, ErrorBody, eventually, TestProject, uniqueNumber } from '../support/e2e';

/** One row of `GET /admin/audit-log`. */
interface AuditRow {
  actor: string;
  project_id: string | null;
  action: string;
  target: string | null;
  detail: Record<string, unknown>;
}

/** A number as `/v1/numbers` returns it. */
interface ApiNumber {
  id: string;
  e164: string;
  voice_flow_id: string | null;
  sms_callback_url: string | null;
  created_at: string;
}

/**
 * Sender-id ownership and the number management API against the running stack: a project sends
 * SMS and places calls only from its own numbers (and, for SMS, from alphanumeric sender ids the
 * operator granted it), anything else is a 403 naming `from` that writes nothing; the operator's
 * sender id grants; `/v1/numbers` lists, reads, re-routes (voice flow, MO callback URL) and releases
 * the project's numbers; every write shows in the admin audit log. Each TestProject owns a number
 * of its own (`number`) and holds the sender id `ACME`.
 */
describe('sender ids and /v1/numbers', () => {
  const t = new E2e();
  const secret = env('OPERATOR_SECRET');
  const flow = { version: 1, steps: [{ verb: 'say', text: 'hi' }, { verb: 'hangup' }] };
  let a: TestProject;
  let b: TestProject;

  beforeAll(async () => {
    await t.start();
    [a, b] = await Promise.all([t.project('numbers-a'), t.project('numbers-b')]);
  });
  afterAll(() => t.stop());

  /** What a project has written: messages, calls, their `*.requested` outbox events, idempotency records. */
  const written = async (projectId: string) => ({
    messages: await t.count('SELECT count(*) AS n FROM messages WHERE project_id = $1', [projectId]),
    calls: await t.count('SELECT count(*) AS n FROM calls WHERE project_id = $1', [projectId]),
    outbox: await t.count(
      `SELECT count(*) AS n FROM outbox WHERE type IN ('message.requested', 'call.requested') AND payload->>'project_id' = $1`,
      [projectId],
    ),
    idempotency: await t.count('SELECT count(*) AS n FROM idempotency_keys WHERE project_id = $1', [projectId]),
  });
  const errorOf = (res: HttpAnswer) => (res.body as ErrorBody).error;
  const fieldsOf = (res: HttpAnswer) => errorOf(res)?.fields?.map((f) => f.field);
  const admin = <T = unknown>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown) =>
    t.api.adminRaw<T>(secret, method, path, body);
  const audit = async (projectId: string, action: string): Promise<AuditRow[]> => {
    const res = await admin<{ data: AuditRow[] }>('GET', `/admin/audit-log?project_id=${projectId}&action=${action}&limit=100`);
    expect(res.status).toBe(200);
    return res.body.data;
  };
  /** Every number of the project, following the cursor one number a page. */
  const allNumbers = async (p: TestProject): Promise<ApiNumber[]> => {
    const seen: ApiNumber[] = [];
    let cursor: string | null = null;
    do {
      const res = await p.gw.getRaw(`/v1/numbers?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      const page = res.body as { data: ApiNumber[]; next_cursor: string | null };
      expect(page.data.length).toBeLessThanOrEqual(1);
      seen.push(...page.data);
      cursor = page.next_cursor;
    } while (cursor);
    return seen;
  };
  const inboundFrom = async (p: TestProject, from: string): Promise<ApiMessage[]> =>
    ((await p.gw.getRaw(`/v1/messages?direction=inbound&from=${encodeURIComponent(from)}`)).body as { data: ApiMessage[] }).data;

  describe('sender ownership', () => {
    it("refuses SMS and calls from another project's number with 403 naming from, writing nothing", async () => {
      const before = await written(b.id);
      for (const headers of [{}, { 'idempotency-key': 'spoof-sms' }] as Array<Record<string, string>>) {
        const sms = await b.gw.sendRaw({ to: uniqueNumber(), from: a.number, body: 'not my number' }, headers);
        expect(sms.status).toBe(403);
        expect(errorOf(sms)).toMatchObject({ code: 'forbidden' });
        expect(fieldsOf(sms)).toEqual(['from']);
      }
      for (const headers of [{}, { 'idempotency-key': 'spoof-call' }] as Array<Record<string, string>>) {
        const call = await b.gw.postRaw('/v1/calls', { to: uniqueNumber(), from: a.number, flow }, headers);
        expect(call.status).toBe(403);
        expect(fieldsOf(call)).toEqual(['from']);
      }
      expect(await written(b.id)).toEqual(before);
      // The refused key stored nothing: the same key with an allowed sender is a first request.
      expect((await b.gw.sendRaw({ to: uniqueNumber(), from: b.number, body: 'mine' }, { 'idempotency-key': 'spoof-sms' })).status).toBe(
        201,
      );
    });

    it('accepts SMS from its own number and from its granted sender id, and calls from its own number', async () => {
      const own = await a.gw.sendRaw({ to: uniqueNumber(), from: a.number, body: 'from my number' });
      expect(own.status).toBe(201);
      expect(own.body).toMatchObject({ from: a.number, status: 'queued' });
      const branded = await a.gw.sendRaw({ to: uniqueNumber(), from: 'ACME', body: 'from my brand' }, { 'idempotency-key': 'acme-1' });
      expect(branded.status).toBe(201);
      expect(branded.body).toMatchObject({ from: 'ACME' });
      const call = await a.gw.postRaw('/v1/calls', { to: uniqueNumber(), from: a.number, flow });
      expect(call.status).toBe(201);
      expect(call.body).toMatchObject({ from: a.number, status: 'queued' });
      // A caller id is a number: a sender id the project holds is still no caller id.
      const byName = await a.gw.postRaw('/v1/calls', { to: uniqueNumber(), from: 'ACME', flow });
      expect(byName.status).toBe(400);
      expect(fieldsOf(byName)).toEqual(['from']);
    });

    it('refuses a sender id the operator has not granted (403), accepts it once granted, refuses it again once revoked', async () => {
      const send = (from: string) => a.gw.sendRaw({ to: uniqueNumber(), from, body: 'brand check' });
      const before = await written(a.id);
      const refused = await send('SHOP 24');
      expect(refused.status).toBe(403);
      expect(errorOf(refused)).toMatchObject({ code: 'forbidden', fields: [{ field: 'from' }] });
      expect(await written(a.id)).toEqual(before);

      const granted = await admin<{ id: string; sender_id: string; project_id: string }>('POST', `/admin/projects/${a.id}/sender-ids`, {
        sender_id: 'SHOP 24',
      });
      expect(granted.status).toBe(201);
      expect(granted.body).toMatchObject({ id: expect.stringMatching(/^snd_/), sender_id: 'SHOP 24', project_id: a.id });
      const list = await admin<{ data: Array<{ sender_id: string }> }>('GET', `/admin/projects/${a.id}/sender-ids`);
      expect(list.body.data.map((g) => g.sender_id)).toEqual(['ACME', 'SHOP 24']);
      expect((await send('SHOP 24')).status).toBe(201);
      expect((await send('Shop 24')).status).toBe(403);

      expect((await admin('DELETE', `/admin/projects/${a.id}/sender-ids/${encodeURIComponent('SHOP 24')}`)).status).toBe(204);
      expect(fieldsOf(await send('SHOP 24'))).toEqual(['from']);
      expect((await admin('DELETE', `/admin/projects/${a.id}/sender-ids/${encodeURIComponent('SHOP 24')}`)).status).toBe(404);

      const grants = await audit(a.id, 'sender_id.granted');
      expect(grants).toContainEqual(
        expect.objectContaining({ actor: 'operator', target: granted.body.id, detail: { sender_id: 'SHOP 24' } }),
      );
      const revokes = await audit(a.id, 'sender_id.revoked');
      expect(revokes).toContainEqual(
        expect.objectContaining({ actor: 'operator', target: granted.body.id, detail: { sender_id: 'SHOP 24' } }),
      );
    });

    it('grants one sender id to several projects; refuses bad grants naming the field', async () => {
      const again = await admin<{ id: string }>('POST', `/admin/projects/${b.id}/sender-ids`, { sender_id: 'ACME' });
      expect(again.status).toBe(201);
      const listed = await admin<{ data: Array<{ id: string; sender_id: string }> }>('GET', `/admin/projects/${b.id}/sender-ids`);
      expect(listed.body.data).toEqual([expect.objectContaining({ id: again.body.id, sender_id: 'ACME' })]);
      expect((await a.gw.sendRaw({ to: uniqueNumber(), from: 'ACME', body: 'a' })).status).toBe(201);
      expect((await b.gw.sendRaw({ to: uniqueNumber(), from: 'ACME', body: 'b' })).status).toBe(201);

      for (const senderId of ['ACME-Bank', 'ABCDEFGHIJKL', '12345', '', 42]) {
        const res = await admin('POST', `/admin/projects/${a.id}/sender-ids`, { sender_id: senderId });
        expect(res.status).toBe(400);
        expect(fieldsOf(res)).toEqual(['sender_id']);
      }
      expect((await admin('POST', '/admin/projects/prj_missing/sender-ids', { sender_id: 'ACME' })).status).toBe(404);
      expect((await admin('GET', '/admin/projects/prj_missing/sender-ids')).status).toBe(404);
      expect((await t.api.adminRaw('not-the-secret', 'GET', `/admin/projects/${a.id}/sender-ids`)).status).toBe(401);
    });
  });

  describe('/v1/numbers', () => {
    it("lists and reads the project's numbers, a page at a time; another project's read as missing", async () => {
      const extra = await t.api.addNumber(secret, a.id, uniqueNumber());
      const numbers = await allNumbers(a);
      expect(numbers.map((n) => n.e164)).toEqual(expect.arrayContaining([a.number, extra.e164]));
      expect(numbers.map((n) => n.created_at)).toEqual([...numbers.map((n) => n.created_at)].sort().reverse());
      expect((await allNumbers(b)).map((n) => n.e164)).not.toContain(extra.e164);

      const one = await a.gw.getRaw(`/v1/numbers/${extra.id}`);
      expect(one.status).toBe(200);
      expect(one.body).toEqual({
        id: extra.id,
        e164: extra.e164,
        voice_flow_id: null,
        sms_callback_url: null,
        created_at: expect.any(String),
      });
      expect((await b.gw.getRaw(`/v1/numbers/${extra.id}`)).status).toBe(404);
      expect((await b.gw.patchRaw(`/v1/numbers/${extra.id}`, { voice_flow_id: null })).status).toBe(404);
      expect((await b.gw.deleteRaw(`/v1/numbers/${extra.id}`)).status).toBe(404);
      expect((await a.gw.getRaw('/v1/numbers?limit=0')).status).toBe(400);
      expect((await a.gw.getRaw('/v1/numbers?cursor=%21%21')).status).toBe(400);
    });

    it('updates the routing of a number (flow of the project, MO callback URL), audited with the actor', async () => {
      const { id } = await t.api.addNumber(secret, a.id, uniqueNumber());
      const flowId = await a.gw.createFlow('answers the number', flow);
      const theirFlow = await b.gw.createFlow('not yours', flow);
      // A receiver port of loopback, which the local stack lets callbacks reach (a host name would have to resolve).
      const url = `http://127.0.0.1:${RECEIVER_PORTS.first}/mo?token=kept-out-of-the-audit-log`;

      const updated = await a.gw.patchRaw(`/v1/numbers/${id}`, { voice_flow_id: flowId, sms_callback_url: url });
      expect(updated.status).toBe(200);
      expect(updated.body).toMatchObject({ id, voice_flow_id: flowId, sms_callback_url: url });
      expect((await a.gw.getRaw(`/v1/numbers/${id}`)).body).toMatchObject({ voice_flow_id: flowId, sms_callback_url: url });

      const cleared = await a.gw.patchRaw(`/v1/numbers/${id}`, { voice_flow_id: null });
      expect(cleared.body).toMatchObject({ voice_flow_id: null, sms_callback_url: url });
      const unchanged = await a.gw.patchRaw(`/v1/numbers/${id}`, {});
      expect(unchanged.status).toBe(200);
      expect(unchanged.body).toEqual(cleared.body);

      for (const [body, field, status] of [
        [{ voice_flow_id: theirFlow }, 'voice_flow_id', 404],
        [{ voice_flow_id: 'nope' }, 'voice_flow_id', 400],
        [{ sms_callback_url: 'not a url' }, 'sms_callback_url', 400],
        [{ sms_callback_url: 'ftp://hooks.example.com/mo' }, 'sms_callback_url', 400],
        [{ e164: '+14155550100' }, 'e164', 400],
      ] as const) {
        const res = await a.gw.patchRaw(`/v1/numbers/${id}`, body);
        expect(res.status).toBe(status);
        expect(fieldsOf(res)).toContain(field);
      }

      const records = await audit(a.id, 'number.updated');
      const mine = records.filter((r) => r.target === id);
      expect(mine).toHaveLength(2);
      expect(mine.every((r) => r.actor.startsWith('key:'))).toBe(true);
      expect(mine).toContainEqual(
        expect.objectContaining({
          detail: expect.objectContaining({ voice_flow_id: flowId, sms_callback_url: `http://127.0.0.1:${RECEIVER_PORTS.first}` }),
        }),
      );
      expect(JSON.stringify(records)).not.toContain('kept-out-of-the-audit-log');
    });

    it("calls an MO to the number back at the number's sms_callback_url, not the project's default", async () => {
      const routed = new CallbackReceiver();
      await routed.start();
      routed.useSecret(a.webhookSecret);
      try {
        const own = await t.api.addNumber(secret, a.id, uniqueNumber());
        expect((await a.gw.patchRaw(`/v1/numbers/${own.id}`, { sms_callback_url: routed.url })).status).toBe(200);
        const from = uniqueNumber();
        await t.smsc.sendMo(from, own.e164, 'to the routed number');
        const [inbound] = await eventually(async () => {
          const found = await inboundFrom(a, from);
          return found.length ? found : undefined;
        });
        const callback = await eventually(async () => routed.about(inbound.id)[0]);
        expect(callback).toMatchObject({ type: 'message.inbound', verified: true });
        expect(a.receiver.about(inbound.id)).toEqual([]);
      } finally {
        await routed.stop();
      }
    });

    it('releases a number: sends and calls from it are 403 and write nothing, MOs to it no longer reach the project', async () => {
      const own = await t.api.addNumber(secret, a.id, uniqueNumber());
      const keyed = { to: uniqueNumber(), from: own.e164, body: 'before the release' };
      expect((await a.gw.sendRaw(keyed, { 'idempotency-key': 'before-release' })).status).toBe(201);

      expect((await a.gw.deleteRaw(`/v1/numbers/${own.id}`)).status).toBe(204);
      expect((await a.gw.getRaw(`/v1/numbers/${own.id}`)).status).toBe(404);
      expect((await allNumbers(a)).map((n) => n.id)).not.toContain(own.id);
      expect((await a.gw.deleteRaw(`/v1/numbers/${own.id}`)).status).toBe(404);

      const before = await written(a.id);
      const sms = await a.gw.sendRaw({ to: uniqueNumber(), from: own.e164, body: 'after the release' });
      expect(sms.status).toBe(403);
      expect(fieldsOf(sms)).toEqual(['from']);
      expect(fieldsOf(await a.gw.postRaw('/v1/calls', { to: uniqueNumber(), from: own.e164, flow }))).toEqual(['from']);
      expect(await written(a.id)).toEqual(before);
      // A request accepted before the release still replays its stored answer (Idempotency-Key rules).
      const replay = await a.gw.sendRaw(keyed, { 'idempotency-key': 'before-release' });
      expect(replay.status).toBe(201);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      // History keeps the number.
      expect(await t.count('SELECT count(*) AS n FROM messages WHERE project_id = $1 AND from_number = $2', [a.id, own.e164])).toBe(1);

      // An MO to the released number is not routed; one sent after it to a number the project owns is.
      const handset = uniqueNumber();
      await t.smsc.sendMo(handset, own.e164, 'to the released number');
      await t.smsc.sendMo(handset, a.number, 'to the kept number');
      await eventually(async () => ((await inboundFrom(a, handset)).length ? true : undefined));
      expect((await inboundFrom(a, handset)).map((m) => m.to)).toEqual([a.number]);

      const [released] = (await audit(a.id, 'number.released')).filter((r) => r.target === own.id);
      expect(released).toMatchObject({ actor: expect.stringMatching(/^key:/), project_id: a.id, detail: { e164: own.e164 } });

      // The number can be assigned again, and then belongs to its new project only.
      await t.api.addNumber(secret, b.id, own.e164);
      expect((await b.gw.sendRaw({ to: uniqueNumber(), from: own.e164, body: 'my number now' })).status).toBe(201);
      expect((await a.gw.sendRaw({ to: uniqueNumber(), from: own.e164, body: 'not mine any more' })).status).toBe(403);
    });
  });
});
