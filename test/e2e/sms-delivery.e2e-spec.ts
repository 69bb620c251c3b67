import { request } from 'undici';
import { dlrCallbackUrl } from '@gw/connectors';
import { TERMINAL } from '@gw/stack-client';
import { E2e, env, eventually, TestProject, uniqueNumber } from '../support/e2e';

/** SMS through the real path: api -> outbox -> Kafka -> sms-connector -> Jasmin -> SMSC simulator, DLRs back through Jasmin. */
describe('SMS delivery through Jasmin and the SMSC simulator', () => {
  const t = new E2e();
  let p: TestProject;

  beforeAll(async () => {
    await t.start();
    p = await t.project('delivery');
  });
  afterAll(() => t.stop());

  const terminal = (id: string) => p.gw.waitFor(id, (m) => TERMINAL.has(m.status), 60000);

  it('delivers a multi-part GSM-7 message: queued -> sending -> sent -> delivered, callbacks signed', async () => {
    const to = uniqueNumber();
    const body = 'Multi-part GSM-7 text with an escape € inside. '.repeat(5);
    const msg = await p.gw.send({ to, from: 'ACME', body });
    expect(msg).toMatchObject({ status: 'queued', encoding: 'GSM-7', segments: 2 });

    const final = await terminal(msg.id);
    expect(final.status).toBe('delivered');
    expect(final.timeline!.map((e) => e.status)).toEqual(['queued', 'sending', 'sent', 'delivered']);
    expect(final.timeline![3]).toMatchObject({ source: 'dlr', carrier_status: 'DELIVRD' });

    const parts = await t.smsc.messages(to);
    expect(parts).toHaveLength(2);
    expect(parts.map((x) => x.text).join('')).toBe(body);

    const callbacks = await eventually(() => (p.receiver.about(msg.id).length >= 3 ? p.receiver.about(msg.id) : undefined));
    expect(callbacks.map((c) => c.data.status)).toEqual(expect.arrayContaining(['sending', 'sent', 'delivered']));
    expect(callbacks.every((c) => c.verified)).toBe(true);
  });

  it('sends UCS-2 with an emoji intact', async () => {
    const to = uniqueNumber();
    const body = 'Ünïcödé ✓ 😀';
    const msg = await p.gw.send({ to, from: p.number, body });
    expect(msg).toMatchObject({ encoding: 'UCS-2', segments: 1 });
    expect((await terminal(msg.id)).status).toBe('delivered');
    const [sm] = await t.smsc.messages(to);
    expect(sm).toMatchObject({ dataCoding: 8, text: body });
  });

  it.each([
    ['undeliverable', 'UNDELIV', '001'],
    ['expired', 'EXPIRED', '000'],
  ])('maps a %s receipt to undelivered and keeps the carrier status and code', async (outcome, stat, err) => {
    const to = uniqueNumber();
    await t.smsc.setRules([{ match: to, outcome, delayMs: 100, err }]);
    const msg = await p.gw.send({ to, from: 'ACME', body: `to be ${outcome}` });
    const final = await terminal(msg.id);
    expect(final).toMatchObject({ status: 'undelivered', error_code: err });
    expect(final.timeline!.at(-1)).toMatchObject({ status: 'undelivered', carrier_status: stat, carrier_code: err });
  });

  it('fails a message the SMSC rejects at submit, without retrying it', async () => {
    const to = uniqueNumber();
    await t.smsc.setRules([{ match: to, outcome: 'submit_error', commandStatus: 0x0b }]);
    const msg = await p.gw.send({ to, from: 'ACME', body: 'bad destination' });
    const final = await terminal(msg.id);
    expect(final).toMatchObject({ status: 'failed', error_code: 'ESME_RINVDSTADR' });
    await new Promise((r) => setTimeout(r, 1500));
    expect(await t.smsc.messages(to)).toHaveLength(1);
  });

  it('keeps the right final status when receipts are duplicated and DLRs replayed out of order', async () => {
    const to = uniqueNumber();
    await t.smsc.setRules([{ match: to, outcome: 'duplicate_receipt', delayMs: 100 }]);
    const msg = await p.gw.send({ to, from: 'ACME', body: 'twice' });
    expect((await terminal(msg.id)).status).toBe('delivered');
    await new Promise((r) => setTimeout(r, 1500));

    const row = (
      await t.db.query<{ pid: string; conn: string }>(
        'SELECT provider_message_id AS pid, connector_id AS conn FROM messages WHERE id = $1',
        [msg.id],
      )
    ).rows[0];
    const providerId = row.pid;
    const url = dlrCallbackUrl(`http://127.0.0.1:${env('WEBHOOK_INGRESS_PORT')}`, env('DLR_TOKEN_SECRET'), 'jasmin', msg.id, row.conn);
    const replays: Array<Record<string, string>> = [
      { id: providerId, level: '1', message_status: 'ESME_ROK', connector: 'SMSC1' },
      { id: providerId, level: '2', message_status: 'UNDELIV', err: '001', connector: 'SMSC1' },
      { id: providerId, level: '2', message_status: 'DELIVRD', err: '000', connector: 'SMSC1' },
    ];
    for (const form of replays) {
      const res = await request(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(form).toString(),
      });
      expect(res.statusCode).toBe(200);
      expect(await res.body.text()).toBe('ACK/Jasmin');
    }
    const final = await p.gw.message(msg.id);
    expect(final.status).toBe('delivered');
    expect(final.timeline!.filter((e) => e.status === 'delivered')).toHaveLength(1);
    expect(final.timeline!.map((e) => e.status)).toEqual(['queued', 'sending', 'sent', 'delivered']);
  });

  it('rejects a DLR with a forged token before parsing it', async () => {
    const msg = await p.gw.send({ to: uniqueNumber(), from: 'ACME', body: 'forged dlr target' });
    const url = dlrCallbackUrl(
      `http://127.0.0.1:${env('WEBHOOK_INGRESS_PORT')}`,
      'not-the-secret-not-the-secret-xx',
      'jasmin',
      msg.id,
      'conn_x',
    );
    const res = await request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'id=x&level=2&message_status=UNDELIV',
    });
    expect(res.statusCode).toBe(403);
    await res.body.dump();
    expect((await terminal(msg.id)).status).toBe('delivered');
  });

  it('answers a signed DLR by the wrong method with a JSON 405, not a 500', async () => {
    const url = dlrCallbackUrl(`http://127.0.0.1:${env('WEBHOOK_INGRESS_PORT')}`, env('DLR_TOKEN_SECRET'), 'jasmin', 'msg_none', 'conn_x');
    const res = await request(url, { method: 'GET' });
    const body = (await res.body.json()) as { error: { code: string; message: string } };
    expect([res.statusCode, res.headers['content-type'], body.error.message]).toEqual([
      405,
      'application/json; charset=utf-8',
      'jasmin callbacks use POST',
    ]);
  });

  it('stores an MO for the project owning the number and calls it back', async () => {
    const { own, from, inbound } = await t.receiveMo(p, 'Réponse 👍');
    expect(inbound).toMatchObject({ status: 'received', body: 'Réponse 👍', to: own });
    const cb = await eventually(() => p.receiver.about(inbound.id)[0]);
    expect(cb).toMatchObject({ type: 'message.inbound', verified: true });
    expect(cb.data).toMatchObject({ status: 'received', body: 'Réponse 👍', from });
  });

  it('counts each message once in the daily usage', async () => {
    const fresh = await t.project('usage');
    const a = await fresh.gw.send({ to: uniqueNumber(), from: 'ACME', body: 'x'.repeat(200) });
    const b = await fresh.gw.send({ to: uniqueNumber(), from: 'ACME', body: 'one' });
    await Promise.all([a, b].map((m) => fresh.gw.waitFor(m.id, (x) => x.status === 'delivered', 60000)));
    const today = new Date().toISOString().slice(0, 10);
    const usage = await eventually(async () => {
      const u = await fresh.gw.usage(today, today);
      return u.totals.sms_outbound_segments >= 3 ? u : undefined;
    });
    await new Promise((r) => setTimeout(r, 1000));
    expect((await fresh.gw.usage(today, today)).totals).toEqual({ sms_outbound_segments: 3, sms_inbound_segments: 0, call_minutes: 0 });
    expect(usage.totals.sms_outbound_segments).toBe(3);
  });
});
