import { DEFAULT_REPLY_TEXTS } from '@gw/sms';
import type { ApiMessage } from '@gw/stack-client';
import { E2e, env, ErrorBody, eventually, TestProject, uniqueNumber } from '../support/e2e';

/** One opt-out as `GET /v1/opt-outs` lists it. */
type OptOut = { id: string; phone: string; sender: string | null; source: string; keyword: string | null; message_id: string | null };

/**
 * SMS opt-out through the whole stack: MOs injected at the SMSC simulator reach the gateway through
 * Jasmin; system replies and MTs leave through the outbox, Kafka, the connector and Jasmin, and
 * the simulator's submit_sm log shows what reached the network.
 */
describe('SMS opt-out: STOP, START and HELP keywords, refused MTs, the opt-out list', () => {
  const t = new E2e();
  let p: TestProject;

  beforeAll(async () => {
    await t.start();
    p = await t.project('opt-out');
  });
  afterAll(() => t.stop());

  /** A number assigned to project `q`, so it may send from it. */
  async function ownNumber(q: TestProject = p): Promise<string> {
    const own = uniqueNumber();
    await t.api.addNumber(env('OPERATOR_SECRET'), q.id, own);
    return own;
  }

  /** Injects an MO at the simulator and resolves with it once the api lists it (the newest from `from`). */
  async function mo(from: string, to: string, body: string, q: TestProject = p): Promise<ApiMessage> {
    const before = await inboundFrom(q, from);
    await t.smsc.sendMo(from, to, body);
    return eventually(
      async () => {
        const all = await inboundFrom(q, from);
        return all.length > before.length ? all[0] : undefined;
      },
      30000,
      `the MO "${body}" from ${from}`,
    );
  }

  async function inboundFrom(q: TestProject, from: string): Promise<ApiMessage[]> {
    return ((await q.gw.getRaw(`/v1/messages?direction=inbound&from=${encodeURIComponent(from)}`)).body as { data: ApiMessage[] }).data;
  }

  /** Resolves with the simulator's submit_sm texts to `to` once there are at least `n`. */
  const submitsTo = (to: string, n: number) =>
    eventually(
      async () => {
        const texts = (await t.smsc.messages(to)).map((m) => m.text);
        return texts.length >= n ? texts : undefined;
      },
      60000,
      `${n} submit_sm to ${to}`,
    );

  const optOutsOf = async (q: TestProject, query: string) => {
    const res = await q.gw.getRaw(`/v1/opt-outs?${query}`);
    expect(res.status).toBe(200);
    return (res.body as { data: OptOut[] }).data;
  };

  const mt = (to: string, from: string, body = 'Weekly deals inside') => p.gw.sendRaw({ to, from, body });

  it('STOP: one confirmation reaches the handset, the MT is refused with 422 and never submitted, the MO is called back', async () => {
    const own = await ownNumber();
    const handset = uniqueNumber();
    const stop = await mo(handset, own, 'stop');
    expect(stop).toMatchObject({ status: 'received', body: 'stop', keyword_action: 'opt_out' });

    expect(await submitsTo(handset, 1)).toEqual([DEFAULT_REPLY_TEXTS.opt_out]);
    const [reply] = (
      (await p.gw.getRaw(`/v1/messages?direction=outbound&to=${encodeURIComponent(handset)}`)).body as { data: ApiMessage[] }
    ).data;
    expect(reply).toMatchObject({ from: own, system_reply: true, keyword_action: 'opt_out' });
    expect((await p.gw.waitFor(reply.id, (m) => m.status === 'delivered', 60000)).timeline![0]).toMatchObject({ source: 'system' });

    const refused = await mt(handset, own);
    expect(refused.status).toBe(422);
    expect((refused.body as ErrorBody).error).toMatchObject({ code: 'recipient_opted_out', fields: [{ field: 'to' }] });
    expect(await t.count(`SELECT count(*) AS n FROM messages WHERE to_number = $1 AND system_reply = false`, [handset])).toBe(0);

    const callback = await eventually(() => p.receiver.about(stop.id)[0]);
    expect(callback).toMatchObject({ type: 'message.inbound', verified: true });
    expect(callback.data).toMatchObject({ keyword_action: 'opt_out', body: 'stop', from: handset });

    expect(await optOutsOf(p, `phone=${encodeURIComponent(handset)}`)).toEqual([
      expect.objectContaining({ phone: handset, sender: own, source: 'keyword', keyword: 'STOP', message_id: stop.id }),
    ]);

    await new Promise((r) => setTimeout(r, 2000));
    expect((await t.smsc.messages(handset)).map((m) => m.text)).toEqual([DEFAULT_REPLY_TEXTS.opt_out]);
  });

  it('START: confirmed, the opt-out is gone, and the next MT is submitted', async () => {
    const own = await ownNumber();
    const handset = uniqueNumber();
    await mo(handset, own, 'STOP');
    await submitsTo(handset, 1);
    expect((await mt(handset, own)).status).toBe(422);

    const start = await mo(handset, own, ' Start ');
    expect(start.keyword_action).toBe('opt_in');
    expect(await submitsTo(handset, 2)).toEqual([DEFAULT_REPLY_TEXTS.opt_out, DEFAULT_REPLY_TEXTS.opt_in]);
    expect(await optOutsOf(p, `phone=${encodeURIComponent(handset)}`)).toEqual([]);

    const sent = await mt(handset, own, 'Welcome back');
    expect(sent.status).toBe(201);
    expect((await p.gw.waitFor(sent.body.id, (m) => m.status === 'delivered', 60000)).system_reply).toBe(false);
    expect((await submitsTo(handset, 3))[2]).toBe('Welcome back');
  });

  it("HELP is answered with the project's help text from the number it was sent to, counted in usage", async () => {
    const q = await t.project('opt-out-help');
    const helpText = 'Acme alerts: 4 msgs/month. Help at acme.example/sms. Reply STOP to cancel.';
    const set = await t.api.setMessagingSettings(env('OPERATOR_SECRET'), q.id, { help_text: helpText });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ opt_out_scope: 'sender', help_text: helpText, stop_confirmation: null });
    const own = await ownNumber(q);
    const handset = uniqueNumber();

    const help = await mo(handset, own, 'HELP', q);
    expect(help.keyword_action).toBe('help');
    expect(await submitsTo(handset, 1)).toEqual([helpText]);
    const [reply] = (
      (await q.gw.getRaw(`/v1/messages?direction=outbound&to=${encodeURIComponent(handset)}`)).body as { data: ApiMessage[] }
    ).data;
    expect(reply).toMatchObject({ from: own, body: helpText, system_reply: true, keyword_action: 'help' });
    expect(await optOutsOf(q, `phone=${encodeURIComponent(handset)}`)).toEqual([]);

    await q.gw.waitFor(reply.id, (m) => m.status === 'delivered', 60000);
    const today = new Date().toISOString().slice(0, 10);
    const usage = await eventually(async () => {
      const u = await q.gw.usage(today, today);
      return u.totals.sms_outbound_segments >= 1 && u.totals.sms_inbound_segments >= 1 ? u : undefined;
    });
    expect(usage.totals).toEqual({ sms_outbound_segments: 1, sms_inbound_segments: 1, call_minutes: 0 });
  });

  it('opt_out_scope project: STOP to one number refuses MTs from every number of the project', async () => {
    const q = await t.project('opt-out-scope');
    expect((await t.api.setMessagingSettings(env('OPERATOR_SECRET'), q.id, { opt_out_scope: 'project' })).status).toBe(200);
    expect(
      await t.count(`SELECT count(*) AS n FROM admin_audit_log WHERE project_id = $1 AND action = 'messaging_settings.updated'`, [q.id]),
    ).toBe(1);
    const [a, b] = [await ownNumber(q), await ownNumber(q)];
    const handset = uniqueNumber();
    await mo(handset, a, 'UNSUBSCRIBE', q);
    await submitsTo(handset, 1);
    for (const from of [a, b]) {
      const res = await q.gw.sendRaw({ to: handset, from, body: 'still there?' });
      expect(res.status).toBe(422);
      expect((res.body as ErrorBody).error.code).toBe('recipient_opted_out');
    }
    expect(await optOutsOf(q, `phone=${encodeURIComponent(handset)}`)).toEqual([
      expect.objectContaining({ sender: null, keyword: 'UNSUBSCRIBE' }),
    ]);
  });

  it('the opt-out list API adds, lists, filters and deletes opt-outs, each write audited', async () => {
    const own = await ownNumber();
    const handset = uniqueNumber();

    const added = await p.gw.postRaw('/v1/opt-outs', { phone: handset, sender: null });
    expect(added.status).toBe(201);
    const optOut = added.body as OptOut;
    expect(optOut).toMatchObject({ id: expect.stringMatching(/^opt_/), phone: handset, sender: null, source: 'api', keyword: null });
    const again = await p.gw.postRaw('/v1/opt-outs', { phone: handset });
    expect([again.status, (again.body as OptOut).id]).toEqual([200, optOut.id]);
    const perSender = await p.gw.postRaw('/v1/opt-outs', { phone: handset, sender: own });
    expect(perSender.status).toBe(201);

    expect((await optOutsOf(p, `phone=${encodeURIComponent(handset)}`)).map((o) => o.id)).toEqual([
      (perSender.body as OptOut).id,
      optOut.id,
    ]);
    expect((await optOutsOf(p, `phone=${encodeURIComponent(handset)}&sender=${encodeURIComponent(own)}`)).map((o) => o.id)).toEqual([
      (perSender.body as OptOut).id,
    ]);
    const page = await p.gw.getRaw(`/v1/opt-outs?phone=${encodeURIComponent(handset)}&limit=1`);
    expect((page.body as { next_cursor: string | null }).next_cursor).toEqual(expect.any(String));

    expect((await mt(handset, own)).status).toBe(422);
    expect((await p.gw.deleteRaw(`/v1/opt-outs/${optOut.id}`)).status).toBe(204);
    expect((await p.gw.deleteRaw(`/v1/opt-outs/${optOut.id}`)).status).toBe(404);
    expect((await mt(handset, own)).status).toBe(422);
    expect((await p.gw.deleteRaw(`/v1/opt-outs/${(perSender.body as OptOut).id}`)).status).toBe(204);
    const sent = await mt(handset, own, 'Back in touch');
    expect(sent.status).toBe(201);
    expect(await submitsTo(handset, 1)).toEqual(['Back in touch']);

    const audited = (action: string) =>
      t.count(`SELECT count(*) AS n FROM admin_audit_log WHERE project_id = $1 AND action = $2 AND target = ANY($3)`, [
        p.id,
        action,
        [optOut.id, (perSender.body as OptOut).id],
      ]);
    expect(await audited('opt_out.created')).toBe(2);
    expect(await audited('opt_out.deleted')).toBe(2);
  });

  it("another project's opt-outs are invisible and cannot be deleted", async () => {
    const other = await t.project('opt-out-other');
    const handset = uniqueNumber();
    const added = (await p.gw.postRaw('/v1/opt-outs', { phone: handset })).body as OptOut;
    expect(await optOutsOf(other, `phone=${encodeURIComponent(handset)}`)).toEqual([]);
    expect((await other.gw.deleteRaw(`/v1/opt-outs/${added.id}`)).status).toBe(404);
  });

  it.each([
    [{ phone: '4155550100' }, 'phone'],
    [{ phone: '+14155550100', sender: 'NOT A SENDER ID' }, 'sender'],
    [{ phone: '+14155550100', extra: true }, 'extra'],
  ])('POST /v1/opt-outs %j -> 400 naming %s', async (body, field) => {
    const res = await p.gw.postRaw('/v1/opt-outs', body);
    expect(res.status).toBe(400);
    expect((res.body as ErrorBody).error.fields?.map((f) => f.field)).toContain(field);
  });

  it('PUT messaging-settings refuses a bad scope or a blank text, naming the field', async () => {
    const bad = await t.api.setMessagingSettings(env('OPERATOR_SECRET'), p.id, { opt_out_scope: 'everyone', help_text: '  ' });
    expect(bad.status).toBe(400);
    expect(((bad.body as unknown as ErrorBody).error.fields ?? []).map((f) => f.field).sort()).toEqual(['help_text', 'opt_out_scope']);
    expect((await t.api.setMessagingSettings(env('OPERATOR_SECRET'), 'prj_missing', {})).status).toBe(404);
  });
});
