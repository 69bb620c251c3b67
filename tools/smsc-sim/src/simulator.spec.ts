import * as smpp from 'smpp';
import type { PDU, Session } from 'smpp';
import { encodeGsm7, encodeUcs2 } from '@gw/sms-text';
import { silentLogger } from '@gw/sim-kit';
import type { MessageRecord } from './message-log';
import { parseReceiptText } from './receipt';
import { parseScenarioSet } from './scenarios';
import { parseSmBody, rawPduOf } from './short-message';
import { type RunningSimulator, startSimulator } from './simulator';
import type { SmscStats } from './smsc-server';

const SYSTEM_ID = 'gwtest';
const PASSWORD = 'secret';
/** Further ESME accounts (SMSC_ACCOUNTS): Kannel's and the direct SMPP connector's. */
const KANNEL = { systemId: 'kannel', password: 'kpw' };
const DIRECT = { systemId: 'gwdirect', password: 'dpw' };

type BindModeName = 'transceiver' | 'transmitter' | 'receiver';
const ID_SHAPE = /^[1-9A-F][0-9A-F]{15}$/;

let sim: RunningSimulator;
let api: string;
const sessions: Session[] = [];

/** A test ESME: records every deliver_sm it gets and acknowledges it. */
class Esme {
  readonly delivered: PDU[] = [];
  closed = false;

  private constructor(readonly session: Session) {
    session.on('deliver_sm', (pdu: PDU) => {
      this.delivered.push(pdu);
      session.send(pdu.response());
    });
    session.on('error', () => undefined);
    session.on('close', () => {
      this.closed = true;
    });
  }

  static connect(port = sim.smppPort): Promise<Esme> {
    return new Promise((resolve, reject) => {
      const session = smpp.connect({ host: '127.0.0.1', port }, () => resolve(esme));
      const esme = new Esme(session);
      session.once('error', reject);
      sessions.push(session);
    });
  }

  static async bound(
    mode: BindModeName = 'transceiver',
    account = { systemId: SYSTEM_ID, password: PASSWORD },
    port = sim.smppPort,
  ): Promise<Esme> {
    const esme = await Esme.connect(port);
    const resp = await esme.bind(mode, account.password, account.systemId);
    expect(resp.command_status).toBe(0);
    return esme;
  }

  bind(mode: BindModeName, password = PASSWORD, systemId = SYSTEM_ID): Promise<PDU> {
    const opts = { system_id: systemId, password };
    return new Promise((resolve) => {
      if (mode === 'transceiver') this.session.bind_transceiver(opts, resolve);
      else if (mode === 'transmitter') this.session.bind_transmitter(opts, resolve);
      else this.session.bind_receiver(opts, resolve);
    });
  }

  submit(options: Record<string, unknown>): Promise<PDU> {
    return new Promise((resolve) =>
      this.session.submit_sm(
        {
          source_addr: 'GW',
          destination_addr: '+15550001',
          data_coding: 0,
          registered_delivery: 1,
          short_message: encodeGsm7('Hello world')!,
          ...options,
        },
        resolve,
      ),
    );
  }

  async waitForDeliveries(n: number, timeoutMs = 2000): Promise<PDU[]> {
    await until(() => this.delivered.length >= n, timeoutMs, `${n} deliver_sm (got ${this.delivered.length})`);
    return this.delivered;
  }
}

async function until(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** The receipt text exactly as sent on the wire. */
function wireText(pdu: PDU): string {
  return parseSmBody(rawPduOf(pdu)!).shortMessage.toString('ascii');
}

async function http(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const res = await fetch(api + path, {
    method,
    ...(body === undefined
      ? {}
      : { body: typeof body === 'string' ? body : JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
  return { status: res.status, json: await res.json() };
}

async function putScenarios(body: unknown): Promise<void> {
  const r = await http('PUT', '/scenarios', body);
  expect(r).toMatchObject({ status: 200 });
}

async function stats(): Promise<SmscStats> {
  const r = await http('GET', '/stats');
  expect(r.status).toBe(200);
  return r.json as SmscStats;
}

async function messages(query = ''): Promise<MessageRecord[]> {
  const r = await http('GET', '/messages' + query);
  expect(r.status).toBe(200);
  return r.json as MessageRecord[];
}

beforeAll(async () => {
  sim = await startSimulator(
    {
      host: '127.0.0.1',
      smppPort: 0,
      controlPort: 0,
      systemId: SYSTEM_ID,
      password: PASSWORD,
      accounts: [KANNEL, DIRECT],
      maxSubmitsPerSecondPerBind: 0,
      scenarios: parseScenarioSet({}),
      debug: false,
      warnings: [],
    },
    silentLogger,
  );
  api = `http://127.0.0.1:${sim.controlPort}`;
});

afterAll(async () => {
  await sim.stop();
});

beforeEach(async () => {
  // Fast receipts unless a test says otherwise.
  await putScenarios({ rules: [], default: { outcome: 'delivered', delayMs: 20 } });
});

afterEach(async () => {
  for (const s of sessions.splice(0)) s.destroy();
  await until(() => sim.smsc.boundCount() === 0, 1000, 'sessions to close');
  sim.smsc.clearMessages();
  sim.scenarios.reset();
  sim.smsc.resetLimits();
});

describe('binding', () => {
  it('rejects a wrong password with ESME_RBINDFAIL and closes the connection', async () => {
    const esme = await Esme.connect();
    const resp = await esme.bind('transceiver', 'wrong');
    expect(resp.command_status).toBe(0x0d);
    await until(() => esme.closed, 1000, 'close');
    const stats = (await http('GET', '/stats')).json as Record<string, number>;
    expect(stats['bindFailures']).toBeGreaterThanOrEqual(1);
  });

  it('rejects submit_sm before bind with ESME_RINVBNDSTS, answers enquire_link, refuses a second bind', async () => {
    const esme = await Esme.connect();
    expect((await esme.submit({})).command_status).toBe(0x04);
    const link = await new Promise<PDU>((resolve) => esme.session.enquire_link({}, resolve));
    expect(link.command).toBe('enquire_link_resp');
    expect(link.command_status).toBe(0);
    const bind = await esme.bind('transceiver');
    expect(bind.command_status).toBe(0);
    expect(bind['system_id']).toBe('SMSCSIM');
    expect((await esme.bind('transceiver')).command_status).toBe(0x05);
  });

  it('refuses submit_sm on a receiver bind', async () => {
    const esme = await Esme.bound('receiver');
    expect((await esme.submit({})).command_status).toBe(0x04);
  });

  it('answers unbind and closes; /health counts binds', async () => {
    const esme = await Esme.bound();
    expect((await http('GET', '/health')).json).toEqual({ status: 'ok', bound: 1 });
    const resp = await new Promise<PDU>((resolve) => esme.session.unbind({}, resolve));
    expect(resp.command).toBe('unbind_resp');
    await until(() => esme.closed, 1000, 'close');
    await until(() => sim.smsc.boundCount() === 0, 1000, 'unbound');
    expect((await http('GET', '/health')).json).toEqual({ status: 'ok', bound: 0 });
  });
});

describe('submit_sm and receipts', () => {
  it('delivered: returns an id and sends a matching DELIVRD receipt after the delay', async () => {
    await putScenarios({ rules: [], default: { outcome: 'delivered', delayMs: 60 } });
    const esme = await Esme.bound();
    const t0 = Date.now();
    const resp = await esme.submit({
      source_addr: '+4915100000',
      destination_addr: '+15550001',
      short_message: encodeGsm7('Hello {world} with a long tail')!,
    });
    expect(resp.command_status).toBe(0);
    const id = resp['message_id'] as string;
    expect(id).toMatch(ID_SHAPE);

    const [receipt] = await esme.waitForDeliveries(1);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(55);
    expect(receipt!['esm_class']).toBe(0x04);
    expect(receipt!['receipted_message_id']).toBe(id);
    expect(receipt!['message_state']).toBe(2);
    expect(receipt!['source_addr']).toBe('+15550001');
    expect(receipt!['destination_addr']).toBe('+4915100000');
    const text = wireText(receipt!);
    expect(text).toMatch(/^id:\S+ sub:001 dlvrd:001 submit date:\d{10} done date:\d{10} stat:DELIVRD err:000 text:/);
    expect(parseReceiptText(text)).toMatchObject({ id, stat: 'DELIVRD', err: '000', text: 'Hello {world} with a' });

    await sleep(100);
    expect(esme.delivered).toHaveLength(1);
    const [rec] = await messages();
    expect(rec).toMatchObject({
      messageId: id,
      source: '+4915100000',
      destination: '+15550001',
      dataCoding: 0,
      esmClass: 0,
      registeredDelivery: 1,
      text: 'Hello {world} with a long tail',
      udh: null,
      commandStatus: 0,
      outcome: 'delivered',
      rule: 'default',
    });
    expect(rec!.shortMessageHex).toBe(encodeGsm7('Hello {world} with a long tail')!.toString('hex'));
    expect(new Date(rec!.receivedAt).getTime()).toBeGreaterThanOrEqual(t0 - 1000);
    expect(rec!.receipts).toEqual([{ stat: 'DELIVRD', sentAt: expect.any(String) }]);
  });

  it.each([
    ['undeliverable', 'UNDELIV', 5, '001'],
    ['expired', 'EXPIRED', 3, '000'],
    ['rejected', 'REJECTD', 8, '000'],
    ['deleted', 'DELETED', 4, '000'],
  ])('%s: final receipt %s with message_state %i', async (outcome, stat, state, err) => {
    await putScenarios({ rules: [{ match: '+1555000', prefix: true, outcome, delayMs: 10 }] });
    const esme = await Esme.bound();
    const resp = await esme.submit({ destination_addr: '15550001234' });
    expect(resp.command_status).toBe(0);
    const [receipt] = await esme.waitForDeliveries(1);
    expect(receipt!['message_state']).toBe(state);
    expect(receipt!['receipted_message_id']).toBe(resp['message_id']);
    expect(parseReceiptText(wireText(receipt!))).toMatchObject({ id: resp['message_id'], stat, err, dlvrd: '000' });
  });

  it('uses a configured err code', async () => {
    await putScenarios({ rules: [{ match: '+15550002', outcome: 'undeliverable', err: '0B1', delayMs: 0 }] });
    const esme = await Esme.bound();
    await esme.submit({ destination_addr: '+15550002' });
    const [receipt] = await esme.waitForDeliveries(1);
    expect(parseReceiptText(wireText(receipt!))?.err).toBe('0B1');
  });

  it('submit_error: answers with the scripted command_status and never sends a receipt', async () => {
    await putScenarios({ rules: [{ match: '15550003', outcome: 'submit_error', commandStatus: '0x0000000B' }] });
    const esme = await Esme.bound();
    const resp = await esme.submit({ destination_addr: '+15550003' });
    expect(resp.command_status).toBe(0x0b);
    expect(resp['message_id']).toBeUndefined();
    await sleep(150);
    expect(esme.delivered).toHaveLength(0);
    const [rec] = await messages();
    expect(rec).toMatchObject({ messageId: null, commandStatus: 0x0b, outcome: 'submit_error', receipts: [] });
  });

  it('sends no receipt when registered_delivery is 0, nor a success receipt for failure-only requests', async () => {
    const esme = await Esme.bound();
    expect((await esme.submit({ registered_delivery: 0 })).command_status).toBe(0);
    expect((await esme.submit({ registered_delivery: 2 })).command_status).toBe(0);
    await sleep(150);
    expect(esme.delivered).toHaveLength(0);
    expect((await messages()).map((m) => m.receipts)).toEqual([[], []]);
  });

  it('no_receipt: accepts but stays silent', async () => {
    await putScenarios({ rules: [{ match: '+15550004', outcome: 'no_receipt' }] });
    const esme = await Esme.bound();
    const resp = await esme.submit({ destination_addr: '+15550004' });
    expect(resp.command_status).toBe(0);
    expect(resp['message_id']).toMatch(ID_SHAPE);
    await sleep(150);
    expect(esme.delivered).toHaveLength(0);
  });

  it('duplicate_receipt: sends the final receipt twice with the same id', async () => {
    await putScenarios({ rules: [{ match: '+15550005', outcome: 'duplicate_receipt', delayMs: 10 }] });
    const esme = await Esme.bound();
    const resp = await esme.submit({ destination_addr: '+15550005' });
    const receipts = await esme.waitForDeliveries(2);
    await sleep(80);
    expect(receipts).toHaveLength(2);
    for (const r of receipts) {
      expect(r['receipted_message_id']).toBe(resp['message_id']);
      expect(parseReceiptText(wireText(r))).toMatchObject({ id: resp['message_id'], stat: 'DELIVRD' });
    }
    expect((await messages())[0]!.receipts.map((r) => r.stat)).toEqual(['DELIVRD', 'DELIVRD']);
  });

  it('enrouteFirst: an ENROUTE receipt precedes the final one', async () => {
    await putScenarios({ rules: [{ match: '+15550006', outcome: 'undeliverable', enrouteFirst: true, delayMs: 40 }] });
    const esme = await Esme.bound();
    const resp = await esme.submit({ destination_addr: '+15550006' });
    const [first, second] = await esme.waitForDeliveries(2);
    expect(first!['message_state']).toBe(1);
    expect(parseReceiptText(wireText(first!))).toMatchObject({ id: resp['message_id'], stat: 'ENROUTE' });
    expect(second!['message_state']).toBe(5);
    expect(parseReceiptText(wireText(second!))).toMatchObject({ id: resp['message_id'], stat: 'UNDELIV' });
  });

  it("multipart: only the part that asked (the last) gets a receipt, carrying that part's id", async () => {
    const esme = await Esme.bound();
    const part = (seq: number, text: string): Buffer =>
      Buffer.concat([Buffer.from([0x05, 0x00, 0x03, 0x2a, 0x02, seq]), encodeGsm7(text)!]);
    const r1 = await esme.submit({ esm_class: 0x40, registered_delivery: 0, short_message: part(1, 'Part one € ') });
    const r2 = await esme.submit({ esm_class: 0x40, registered_delivery: 1, short_message: part(2, '[two]') });
    expect(r1['message_id']).not.toBe(r2['message_id']);
    const [receipt] = await esme.waitForDeliveries(1);
    await sleep(80);
    expect(esme.delivered).toHaveLength(1);
    expect(receipt!['receipted_message_id']).toBe(r2['message_id']);
    expect(parseReceiptText(wireText(receipt!))).toMatchObject({ id: r2['message_id'], text: '[two]' });
    const log = await messages();
    expect(log.map((m) => [m.messageId, m.text, m.udh, m.esmClass])).toEqual([
      [r1['message_id'], 'Part one € ', { ref: 0x2a, total: 2, seq: 1 }, 0x40],
      [r2['message_id'], '[two]', { ref: 0x2a, total: 2, seq: 2 }, 0x40],
    ]);
    expect(log[0]!.shortMessageHex.startsWith('0500032a0201')).toBe(true);
  });

  it('decodes UCS-2 and filters the log by destination with or without +', async () => {
    const esme = await Esme.bound();
    await esme.submit({ destination_addr: '+15550007', data_coding: 8, short_message: encodeUcs2('Привет 😀') });
    await esme.submit({ destination_addr: '+15550008' });
    const filtered = await messages('?destination=15550007');
    expect(filtered).toHaveLength(1);
    expect(filtered[0]).toMatchObject({ dataCoding: 8, text: 'Привет 😀', shortMessageHex: encodeUcs2('Привет 😀').toString('hex') });
    expect(await messages('?destination=%2B15550008')).toHaveLength(1);
    const [receipt] = await esme.waitForDeliveries(1);
    expect(parseReceiptText(wireText(receipt!))?.text).toMatch(/^\?+/);
  });

  it('routes receipts of a transmitter bind to a receiver bind, queueing them until one binds', async () => {
    const tx = await Esme.bound('transmitter');
    const resp = await tx.submit({ destination_addr: '+15550009' });
    await until(() => sim.smsc.stats().receiptsPending === 1, 1000, 'queued receipt');
    expect((await messages())[0]!.receipts).toEqual([{ stat: 'DELIVRD', sentAt: null }]);
    const rx = await Esme.bound('receiver');
    const [receipt] = await rx.waitForDeliveries(1);
    expect(receipt!['receipted_message_id']).toBe(resp['message_id']);
    expect(tx.delivered).toHaveLength(0);
    expect((await messages())[0]!.receipts[0]!.sentAt).toEqual(expect.any(String));
  });

  it('DELETE /messages cancels receipts not yet sent', async () => {
    await putScenarios({ rules: [], default: { outcome: 'delivered', delayMs: 50 } });
    const esme = await Esme.bound();
    await esme.submit({});
    expect((await http('DELETE', '/messages')).json).toEqual({ cleared: 1 });
    await sleep(120);
    expect(esme.delivered).toHaveLength(0);
    expect(await messages()).toEqual([]);
  });
});

describe('MO injection', () => {
  it('answers 409 without a receiving bind, then delivers to the ESME', async () => {
    await Esme.bound('transmitter');
    expect(await http('POST', '/mo', { from: '+4915100000', to: '12345', text: 'hi' })).toEqual({
      status: 409,
      json: { error: expect.any(String) },
    });

    const esme = await Esme.bound();
    expect(await http('POST', '/mo', { from: '+4915100000', to: '12345', text: 'STOP {now} €' })).toEqual({
      status: 200,
      json: { sent: true },
    });
    const [mo] = await esme.waitForDeliveries(1);
    expect(mo!['esm_class']).toBe(0);
    expect(mo!['data_coding']).toBe(0);
    expect(mo!['source_addr']).toBe('+4915100000');
    expect(mo!['destination_addr']).toBe('12345');
    expect(parseSmBody(rawPduOf(mo!)!).shortMessage).toEqual(encodeGsm7('STOP {now} €'));

    expect((await http('POST', '/mo', { from: '1', to: '2', text: 'Привет' })).status).toBe(200);
    const [, ucs] = await esme.waitForDeliveries(2);
    expect(ucs!['data_coding']).toBe(8);
    expect(parseSmBody(rawPduOf(ucs!)!).shortMessage).toEqual(encodeUcs2('Привет'));

    expect((await http('POST', '/mo', { from: '1', to: '2', text: 'Привет', dataCoding: 0 })).status).toBe(400);
    expect((await http('POST', '/mo', { from: '1', text: 'x' })).status).toBe(400);
    expect((await http('GET', '/stats')).json).toMatchObject({ moSent: 2 });
  });
});

describe('control API', () => {
  it('stores, returns and resets scenario rules', async () => {
    const body = {
      rules: [{ match: '+15550010', outcome: 'submit_error', commandStatus: 'ESME_RTHROTTLED' }],
      default: { outcome: 'no_receipt' },
    };
    expect(await http('PUT', '/scenarios', body)).toEqual({
      status: 200,
      json: { rules: [{ match: '+15550010', outcome: 'submit_error', commandStatus: 0x58 }], default: { outcome: 'no_receipt' } },
    });
    expect((await http('GET', '/scenarios')).json).toEqual({
      rules: [{ match: '+15550010', outcome: 'submit_error', commandStatus: 0x58 }],
      default: { outcome: 'no_receipt' },
    });
    const esme = await Esme.bound();
    expect((await esme.submit({ destination_addr: '15550010' })).command_status).toBe(0x58);

    expect((await http('DELETE', '/scenarios')).json).toEqual({ rules: [], default: { outcome: 'delivered', delayMs: 200 } });
    expect((await esme.submit({ destination_addr: '15550010' })).command_status).toBe(0);
  });

  it('rejects invalid scenario bodies with 400 and keeps the old rules', async () => {
    const before = (await http('GET', '/scenarios')).json;
    expect(await http('PUT', '/scenarios', { rules: [{ match: '1', outcome: 'nope' }] })).toEqual({
      status: 400,
      json: { error: expect.stringContaining('outcome') },
    });
    expect((await http('PUT', '/scenarios', '{not json')).status).toBe(400);
    expect((await http('GET', '/scenarios')).json).toEqual(before);
  });

  it('counts submits, receipts and binds in /stats', async () => {
    const before = (await http('GET', '/stats')).json as Record<string, number>;
    const esme = await Esme.bound();
    await esme.submit({});
    await esme.waitForDeliveries(1);
    const after = (await http('GET', '/stats')).json as Record<string, number>;
    expect(Object.keys(after).sort()).toEqual(
      [
        'accounts',
        'binds',
        'bindFailures',
        'bound',
        'moSent',
        'receiptsPending',
        'receiptsSent',
        'submitErrors',
        'submits',
        'throttled',
      ].sort(),
    );
    expect(after['submits']! - before['submits']!).toBe(1);
    expect(after['receiptsSent']! - before['receiptsSent']!).toBe(1);
    expect(after['binds']! - before['binds']!).toBe(1);
    expect(after['bound']).toBe(1);
  });

  it('serves a message by id, 404 for unknown ids and paths, 405 for wrong methods', async () => {
    const esme = await Esme.bound();
    const resp = await esme.submit({ registered_delivery: 0 });
    const id = resp['message_id'] as string;
    expect((await http('GET', `/messages/${id}`)).json).toMatchObject({ messageId: id });
    expect((await http('GET', '/messages/NOPE')).status).toBe(404);
    expect((await http('GET', '/nope')).status).toBe(404);
    expect((await http('POST', '/health')).status).toBe(405);
  });
});

describe('several ESME accounts', () => {
  it("binds every configured account and refuses one system_id with another account's password", async () => {
    const wrong = await Esme.connect();
    expect((await wrong.bind('transceiver', DIRECT.password, KANNEL.systemId)).command_status).toBe(0x0d);
    await until(() => wrong.closed, 1000, 'close');
    const unknown = await Esme.connect();
    expect((await unknown.bind('transceiver', 'x', 'nobody')).command_status).toBe(0x0d);

    await Esme.bound('transceiver');
    await Esme.bound('transceiver', KANNEL);
    await Esme.bound('transmitter', DIRECT);
    const now = await stats();
    expect(Object.keys(now.accounts).sort()).toEqual(['gwdirect', 'gwtest', 'kannel']);
    expect(Object.values(now.accounts).map((a) => a.bound)).toEqual([1, 1, 1]);
    expect(now.bound).toBe(3);
  });

  it('records the system_id of every submit_sm, filters the log by it and counts per account', async () => {
    const before = await stats();
    const jasmin = await Esme.bound();
    const kannel = await Esme.bound('transceiver', KANNEL);
    const direct = await Esme.bound('transmitter', DIRECT);
    await kannel.submit({ destination_addr: '+15550101' });
    await kannel.submit({ destination_addr: '+15550102' });
    await direct.submit({ destination_addr: '+15550101', registered_delivery: 0 });
    await jasmin.submit({ destination_addr: '+15550101' });

    expect((await messages()).map((m) => m.systemId)).toEqual(['kannel', 'kannel', 'gwdirect', 'gwtest']);
    expect((await messages('?system_id=kannel')).map((m) => m.destination)).toEqual(['+15550101', '+15550102']);
    expect((await messages('?systemId=gwdirect')).map((m) => m.systemId)).toEqual(['gwdirect']);
    expect((await messages('?system_id=kannel&destination=15550101')).map((m) => m.systemId)).toEqual(['kannel']);
    expect(await messages('?system_id=nobody')).toEqual([]);

    // Receipts go back to the submitting account's bind only.
    await kannel.waitForDeliveries(2);
    await jasmin.waitForDeliveries(1);
    await sleep(60);
    expect(kannel.delivered).toHaveLength(2);
    expect(jasmin.delivered).toHaveLength(1);

    const after = await stats();
    const delta = (id: string, k: 'submits' | 'receiptsSent'): number => after.accounts[id]![k] - before.accounts[id]![k];
    expect([delta('kannel', 'submits'), delta('gwdirect', 'submits'), delta('gwtest', 'submits')]).toEqual([2, 1, 1]);
    expect([delta('kannel', 'receiptsSent'), delta('gwdirect', 'receiptsSent'), delta('gwtest', 'receiptsSent')]).toEqual([2, 0, 1]);
    expect(after.submits - before.submits).toBe(4);
  });

  it("queues a transmitter's receipts for a receiver of its own system_id, never another account's", async () => {
    const jasminRx = await Esme.bound('receiver');
    const kannelTx = await Esme.bound('transmitter', KANNEL);
    const resp = await kannelTx.submit({ destination_addr: '+15550103' });
    await until(() => sim.smsc.stats().receiptsPending === 1, 1000, 'queued receipt');
    expect(jasminRx.delivered).toHaveLength(0);
    const kannelRx = await Esme.bound('receiver', KANNEL);
    const [receipt] = await kannelRx.waitForDeliveries(1);
    expect(receipt!['receipted_message_id']).toBe(resp['message_id']);
    expect(jasminRx.delivered).toHaveLength(0);
  });

  it('sends MO to a bind of the chosen system_id, else to the first account; 409 without such a bind, 400 for an unknown one', async () => {
    const before = await stats();
    const jasmin = await Esme.bound();
    const kannel = await Esme.bound('transceiver', KANNEL);
    await Esme.bound('transmitter', DIRECT);

    expect(await http('POST', '/mo', { from: '+4915100000', to: '12345', text: 'hi', systemId: 'gwdirect' })).toEqual({
      status: 409,
      json: { error: 'no transceiver or receiver session of gwdirect is bound' },
    });
    expect(await http('POST', '/mo', { from: '+4915100000', to: '12345', text: 'hi', system_id: 'nobody' })).toEqual({
      status: 400,
      json: { error: expect.stringContaining('nobody') },
    });
    expect((await http('POST', '/mo', { from: '1', to: '2', text: 'hi', systemId: '' })).status).toBe(400);

    expect((await http('POST', '/mo', { from: '+4915100000', to: '12345', text: 'to kannel', system_id: 'kannel' })).status).toBe(200);
    const [mo] = await kannel.waitForDeliveries(1);
    expect(parseSmBody(rawPduOf(mo!)!).shortMessage).toEqual(encodeGsm7('to kannel'));

    expect((await http('POST', '/mo', { from: '+4915100000', to: '12345', text: 'to jasmin' })).status).toBe(200);
    const [first] = await jasmin.waitForDeliveries(1);
    expect(parseSmBody(rawPduOf(first!)!).shortMessage).toEqual(encodeGsm7('to jasmin'));
    await sleep(50);
    expect(kannel.delivered).toHaveLength(1);

    const after = await stats();
    expect(after.accounts['kannel']!.moSent - before.accounts['kannel']!.moSent).toBe(1);
    expect(after.accounts['gwtest']!.moSent - before.accounts['gwtest']!.moSent).toBe(1);
    expect(after.accounts['gwdirect']!.moSent - before.accounts['gwdirect']!.moSent).toBe(0);
    expect(after.moSent - before.moSent).toBe(2);
  });
});

describe('throttling', () => {
  it('a submit_error scenario with commandStatus ESME_RTHROTTLED throttles one destination and counts it', async () => {
    await putScenarios({ rules: [{ match: '+15550201', outcome: 'submit_error', commandStatus: 'ESME_RTHROTTLED' }] });
    const before = await stats();
    const kannel = await Esme.bound('transceiver', KANNEL);
    expect((await kannel.submit({ destination_addr: '+15550201' })).command_status).toBe(0x58);
    expect((await kannel.submit({ destination_addr: '+15550202' })).command_status).toBe(0);
    const after = await stats();
    expect(after.throttled - before.throttled).toBe(1);
    expect(after.accounts['kannel']!.throttled - before.accounts['kannel']!.throttled).toBe(1);
    expect(after.accounts['kannel']!.submitErrors - before.accounts['kannel']!.submitErrors).toBe(1);
    expect((await messages('?destination=15550201'))[0]).toMatchObject({ commandStatus: 0x58, outcome: 'submit_error', messageId: null });
  });

  it('answers ESME_RTHROTTLED above the per-bind limit set with PUT /limits, per bind, and counts it', async () => {
    expect(await http('GET', '/limits')).toEqual({ status: 200, json: { maxSubmitsPerSecondPerBind: 0 } });
    expect(await http('PUT', '/limits', { max_submits_per_s_per_bind: 3 })).toEqual({
      status: 200,
      json: { maxSubmitsPerSecondPerBind: 3 },
    });
    expect((await http('GET', '/limits')).json).toEqual({ maxSubmitsPerSecondPerBind: 3 });
    const before = await stats();
    const first = await Esme.bound('transmitter', DIRECT);
    const second = await Esme.bound('transmitter', DIRECT);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await first.submit({ registered_delivery: 0 })).command_status);
    expect(statuses).toEqual([0, 0, 0, 0x58, 0x58]);
    expect((await second.submit({ registered_delivery: 0 })).command_status).toBe(0);

    const log = await messages('?system_id=gwdirect');
    expect(log).toHaveLength(6);
    expect(log.slice(3, 5)).toEqual([
      expect.objectContaining({ messageId: null, commandStatus: 0x58, outcome: 'throttled', rule: 'limit', receipts: [] }),
      expect.objectContaining({ messageId: null, commandStatus: 0x58, outcome: 'throttled', rule: 'limit', receipts: [] }),
    ]);
    const after = await stats();
    expect(after.throttled - before.throttled).toBe(2);
    expect(after.accounts['gwdirect']!.throttled - before.accounts['gwdirect']!.throttled).toBe(2);
    expect(after.accounts['gwdirect']!.submits - before.accounts['gwdirect']!.submits).toBe(6);
    expect(after.accounts['gwdirect']!.submitErrors - before.accounts['gwdirect']!.submitErrors).toBe(2);

    expect((await http('PUT', '/limits', { maxSubmitsPerSecondPerBind: 0 })).status).toBe(200);
    expect((await first.submit({ registered_delivery: 0 })).command_status).toBe(0);
    expect((await http('PUT', '/limits', { maxSubmitsPerSecondPerBind: 1 })).status).toBe(200);
    expect(await http('DELETE', '/limits')).toEqual({ status: 200, json: { maxSubmitsPerSecondPerBind: 0 } });
  });

  it('rejects invalid limits with 400 naming the field and keeps the old ones', async () => {
    await http('PUT', '/limits', { maxSubmitsPerSecondPerBind: 7 });
    for (const body of [{ maxSubmitsPerSecondPerBind: -1 }, { maxSubmitsPerSecondPerBind: 1.5 }, { rate: 1 }, {}, [1]]) {
      expect(await http('PUT', '/limits', body)).toEqual({ status: 400, json: { error: expect.any(String) } });
    }
    expect((await http('PUT', '/limits', { maxSubmitsPerSecondPerBind: '5' })).json).toEqual({
      error: expect.stringContaining('maxSubmitsPerSecondPerBind'),
    });
    expect((await http('POST', '/limits', {})).status).toBe(405);
    expect((await http('GET', '/limits')).json).toEqual({ maxSubmitsPerSecondPerBind: 7 });
  });

  it('applies SMSC_MAX_SUBMITS_PER_S_PER_BIND from start-up, and DELETE /limits restores it', async () => {
    const limited = await startSimulator(
      {
        host: '127.0.0.1',
        smppPort: 0,
        controlPort: 0,
        systemId: SYSTEM_ID,
        password: PASSWORD,
        accounts: [],
        maxSubmitsPerSecondPerBind: 2,
        scenarios: parseScenarioSet({ default: { outcome: 'no_receipt' } }),
        debug: false,
        warnings: [],
      },
      silentLogger,
    );
    try {
      const esme = await Esme.bound('transceiver', undefined, limited.smppPort);
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) statuses.push((await esme.submit({})).command_status);
      expect(statuses).toEqual([0, 0, 0x58]);
      limited.smsc.setLimits({ maxSubmitsPerSecondPerBind: 0 });
      expect((await esme.submit({})).command_status).toBe(0);
      limited.smsc.resetLimits();
      expect(limited.smsc.limits()).toEqual({ maxSubmitsPerSecondPerBind: 2 });
      expect(limited.smsc.stats()).toMatchObject({ throttled: 1, accounts: { gwtest: { throttled: 1, submits: 4, bound: 1 } } });
    } finally {
      for (const s of sessions.splice(0)) s.destroy();
      await limited.stop();
    }
  });
});
