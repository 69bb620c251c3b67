import { request } from 'undici';
import { dlrCallbackUrl } from '@gw/connectors';
import { CarrierAdmin, final, traced, TracedMessage } from '../support/carriers';
import { E2e, env, eventually, TestProject, uniqueNumber } from '../support/e2e';

/** How a carrier kind reports a status, as the scenarios below expect it. */
interface CarrierCase {
  /** The connector seeded by scripts/seed-carriers.ts. */
  name: string;
  kind: string;
  /** system_id the carrier binds to the SMSC simulator with. */
  systemId: string;
  /**
   * Where `sent` (the SMSC answered submit_sm with ESME_ROK) comes from. Jasmin: its level-1 DLR
   * (dlr-level 3). Kannel: the DLR of type 8 (dlr-mask 31), reply `ACK/`. Direct SMPP: the
   * submit_sm_resp itself, recorded by the connector as the submit settles (the SMPP binds send no
   * receipt of their own for it).
   */
  sent: { source: string; carrier_status: string };
  /**
   * What a submit_sm refused with ESME_RINVDSTADR (0x0b) leaves. The HTTP carriers took the message
   * (their submission is `submitted`) and report the refusal in a DLR, each in its own words:
   * Jasmin's level-1 DLR names the status, Kannel's type 16 DLR answers `NACK/0x0000000b/...`.
   * Direct SMPP reads the submit_sm_resp itself: the attempt is `rejected`, the code `smpp_0x0b`.
   */
  refused: { error_code: string; source: string; carrier_status: string | null; outcome: string };
  /** Posts DLRs to the webhook ingress as the carrier would (HTTP carriers only): a stale `sent` and a contradicting final report. */
  replayStale?: (url: string, providerId: string) => Promise<void>;
}

/** Sends `fields` to a Jasmin-style (POST form) or Kannel-style (GET query) DLR URL; expects the carrier's acknowledgement. */
async function dlr(url: string, method: 'GET' | 'POST', fields: Record<string, string>, ack: string): Promise<void> {
  const form = new URLSearchParams(fields).toString();
  const res =
    method === 'POST'
      ? await request(url, { method, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form })
      : await request(`${url}&${form}`, { method });
  expect([res.statusCode, await res.body.text()]).toEqual([200, ack]);
}

const CASES: CarrierCase[] = [
  {
    name: 'jasmin-local',
    kind: 'jasmin',
    systemId: env('SMSC_SYSTEM_ID'),
    sent: { source: 'dlr', carrier_status: 'ESME_ROK' },
    refused: { error_code: 'ESME_RINVDSTADR', source: 'dlr', carrier_status: 'ESME_RINVDSTADR', outcome: 'submitted' },
    replayStale: async (url, id) => {
      await dlr(url, 'POST', { id, level: '1', message_status: 'ESME_ROK', connector: 'SMSC1' }, 'ACK/Jasmin');
      await dlr(url, 'POST', { id, level: '2', message_status: 'UNDELIV', err: '001', connector: 'SMSC1' }, 'ACK/Jasmin');
    },
  },
  {
    name: 'kannel-local',
    kind: 'kannel',
    systemId: env('SMSC_KANNEL_SYSTEM_ID'),
    sent: { source: 'dlr', carrier_status: 'ACK' },
    refused: { error_code: '0x0000000b', source: 'dlr', carrier_status: 'NACK', outcome: 'submitted' },
    replayStale: async (url) => {
      await dlr(url, 'GET', { type: '8', reply: 'ACK/', smscid: 'x', ts: '0' }, 'OK');
      await dlr(url, 'GET', { type: '2', reply: 'id:x sub:001 dlvrd:000 stat:UNDELIV err:001 text:', smscid: 'x', ts: '0' }, 'OK');
    },
  },
  {
    name: 'smpp-local',
    kind: 'smpp',
    systemId: env('SMSC_DIRECT_SYSTEM_ID'),
    sent: { source: 'connector', carrier_status: 'ESME_ROK' },
    refused: { error_code: 'smpp_0x0b', source: 'connector', carrier_status: null, outcome: 'rejected' },
  },
];

/**
 * The same SMS scenarios through each carrier of the local stack: a project whose own route (prefix
 * '') names one connector sends through it alone, and the SMSC simulator sees every submit_sm under
 * that carrier's system_id. Delivered, undeliverable, expired and rejected receipts, a submit_sm
 * the SMSC refuses, MO to the carrier's ESME account, duplicated and reordered receipts.
 */
describe.each(CASES)('SMS through $name', (c) => {
  const t = new E2e();
  const admin = new CarrierAdmin(t);
  let p: TestProject;
  let connectorId: string;

  beforeAll(async () => {
    await t.start();
    p = await t.project(`carrier-${c.kind}`);
    connectorId = await admin.connectorId(c.name);
    await admin.route(p, '', [connectorId]);
  });
  afterAll(async () => {
    await admin.restore();
    await t.stop();
  });

  /** The message went through this connector alone: one attempt, every submit_sm part once under its system_id. */
  async function throughThisCarrierOnly(m: TracedMessage, parts = 1): Promise<void> {
    expect(m.submissions).toEqual([expect.objectContaining({ attempt: 1, connector_id: connectorId, outcome: 'submitted' })]);
    expect(m.timeline.filter((e) => e.status !== 'queued').map((e) => e.connector_id)).toEqual(
      m.timeline.filter((e) => e.status !== 'queued').map(() => connectorId),
    );
    const seen = await t.smsc.messages(m.to);
    expect(seen.map((s) => s.systemId)).toEqual(Array.from({ length: parts }, () => c.systemId));
  }

  it(`delivers a two-part GSM-7 message: queued -> sending -> sent (${c.sent.source} ${c.sent.carrier_status}) -> delivered`, async () => {
    const to = uniqueNumber();
    const body = `Two parts through ${c.kind}, with an escape € inside. `.repeat(4);
    const msg = await p.gw.send({ to, from: 'ACME', body });
    expect(msg).toMatchObject({ encoding: 'GSM-7', segments: 2 });
    const m = await final(p, msg.id);
    expect(m.status).toBe('delivered');
    expect(m.timeline.map((e) => e.status)).toEqual(['queued', 'sending', 'sent', 'delivered']);
    expect(m.timeline[2]).toMatchObject(c.sent);
    expect(m.timeline[3]).toMatchObject({ source: 'dlr', carrier_status: 'DELIVRD' });
    await throughThisCarrierOnly(m, 2);
    expect((await t.smsc.messages(to)).map((s) => s.text).join('')).toBe(body);
    const callbacks = await eventually(() => (p.receiver.about(msg.id).length >= 3 ? p.receiver.about(msg.id) : undefined));
    expect(callbacks.map((cb) => cb.data.status)).toEqual(expect.arrayContaining(['sending', 'sent', 'delivered']));
  });

  it.each([
    ['undeliverable', 'UNDELIV', '001'],
    ['expired', 'EXPIRED', '000'],
    ['rejected', 'REJECTD', '00B'],
  ])('maps a %s receipt to undelivered, keeping the carrier status and code', async (outcome, stat, err) => {
    const to = uniqueNumber();
    await t.smsc.setRules([{ match: to, outcome, delayMs: 100, err }]);
    const msg = await p.gw.send({ to, from: 'ACME', body: `to be ${outcome}` });
    const m = await final(p, msg.id);
    expect(m).toMatchObject({ status: 'undelivered', error_code: err });
    expect(m.timeline.at(-1)).toMatchObject({ status: 'undelivered', source: 'dlr', carrier_status: stat, carrier_code: err });
    await throughThisCarrierOnly(m);
  });

  it('fails a message the SMSC refuses at submit (ESME_RINVDSTADR), without retrying it or trying another connector', async () => {
    const to = uniqueNumber();
    await t.smsc.setRules([{ match: to, outcome: 'submit_error', commandStatus: 0x0b }]);
    const msg = await p.gw.send({ to, from: 'ACME', body: 'bad destination' });
    expect((await final(p, msg.id)).status).toBe('failed');
    await new Promise((r) => setTimeout(r, 1500));
    const m = await traced(p, msg.id);
    expect(m).toMatchObject({ status: 'failed', error_code: c.refused.error_code });
    expect(m.timeline.map((e) => e.status)).toEqual(['queued', 'sending', 'failed']);
    expect(m.timeline[2]).toMatchObject({ source: c.refused.source, carrier_status: c.refused.carrier_status, connector_id: connectorId });
    expect(m.submissions).toEqual([expect.objectContaining({ connector_id: connectorId, outcome: c.refused.outcome })]);
    expect((await t.smsc.messages(to)).map((s) => [s.systemId, s.commandStatus])).toEqual([[c.systemId, 0x0b]]);
  });

  it(`records an MO sent to the ${c.kind} ESME account for the project owning the number, and calls it back`, async () => {
    const own = uniqueNumber();
    await t.api.addNumber(env('OPERATOR_SECRET'), p.id, own);
    const from = uniqueNumber();
    await t.smsc.sendMo(from, own, 'Réponse 👍', { systemId: c.systemId });
    const inbound = await eventually(async () => {
      const page = (await p.gw.getRaw(`/v1/messages?direction=inbound&from=${encodeURIComponent(from)}`)).body as {
        data: TracedMessage[];
      };
      return page.data[0];
    });
    expect(inbound).toMatchObject({ status: 'received', body: 'Réponse 👍', to: own, from });
    const cb = await eventually(() => p.receiver.about(inbound.id)[0]);
    expect(cb).toMatchObject({ type: 'message.inbound', verified: true });
    expect(cb.data).toMatchObject({ status: 'received', body: 'Réponse 👍', from });
    const rows = await t.db.query<{ provider: string }>('SELECT provider FROM messages WHERE id = $1', [inbound.id]);
    expect(rows.rows).toEqual([{ provider: c.kind }]);
  });

  it('applies a duplicated receipt once', async () => {
    const to = uniqueNumber();
    await t.smsc.setRules([{ match: to, outcome: 'duplicate_receipt', delayMs: 100 }]);
    const msg = await p.gw.send({ to, from: 'ACME', body: 'receipt twice' });
    expect((await final(p, msg.id)).status).toBe('delivered');
    await eventually(async () => ((await t.smsc.messages(to))[0]?.receipts.length === 2 ? true : undefined), 10000, 'both receipts sent');
    await new Promise((r) => setTimeout(r, 1000));
    const m = await traced(p, msg.id);
    expect(m.timeline.map((e) => e.status)).toEqual(['queued', 'sending', 'sent', 'delivered']);
    await throughThisCarrierOnly(m);
    expect(p.receiver.about(msg.id).filter((cb) => cb.data.status === 'delivered')).toHaveLength(1);
  });

  it('keeps the final status when an intermediate ENROUTE receipt precedes a final one sent right behind it', async () => {
    const to = uniqueNumber();
    await t.smsc.setRules([{ match: to, outcome: 'undeliverable', delayMs: 0, enrouteFirst: true }]);
    const msg = await p.gw.send({ to, from: 'ACME', body: 'enroute, then undeliverable' });
    const m = await final(p, msg.id);
    expect(m).toMatchObject({ status: 'undelivered', error_code: '001' });
    await new Promise((r) => setTimeout(r, 1000));
    const settled = await traced(p, msg.id);
    const statuses = settled.timeline.map((e) => e.status);
    expect(statuses.filter((s) => s === 'undelivered')).toHaveLength(1);
    expect(statuses.at(-1)).toBe('undelivered');
    await throughThisCarrierOnly(settled);
  });

  if (c.replayStale) {
    const replay = c.replayStale;
    it('ignores a stale sent and a contradicting final DLR replayed after the final one', async () => {
      const to = uniqueNumber();
      const msg = await p.gw.send({ to, from: 'ACME', body: 'replayed out of order' });
      expect((await final(p, msg.id)).status).toBe('delivered');
      const m = await traced(p, msg.id);
      const url = dlrCallbackUrl(`http://127.0.0.1:${env('WEBHOOK_INGRESS_PORT')}`, env('DLR_TOKEN_SECRET'), c.kind, msg.id, connectorId);
      await replay(url, m.submissions[0].provider_message_id!);
      const after = await traced(p, msg.id);
      expect(after.status).toBe('delivered');
      expect(after.timeline.map((e) => e.status)).toEqual(['queued', 'sending', 'sent', 'delivered']);
      await throughThisCarrierOnly(after);
    });
  }
});
