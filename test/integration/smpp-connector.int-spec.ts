import * as smpp from 'smpp';
import type { PDU, Session } from 'smpp';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import {
  type DeliveryReport,
  type InboundSms,
  NotSubmittedError,
  type ReceiptSink,
  SmppConnector,
  type SubmitRequest,
  THROTTLE_PAUSE_MS,
  seededRandom,
  smppKind,
} from '@gw/connectors';
import { PermanentError, RetryableError } from '@gw/queues';
import type { Logger } from '@gw/sim-kit';
import { encodeGsm7, encodeUcs2 } from '@gw/sms-text';
import { parseScenarioSet } from '../../tools/smsc-sim/src/scenarios';
import { type RunningSimulator, startSimulator } from '../../tools/smsc-sim/src/simulator';

const SYSTEM_ID = 'gwit';
const PASSWORD = 'pw7Xq2zK';
const FAST_RECEIPTS = { rules: [], default: { outcome: 'delivered', delayMs: 20 } };

/** What the simulator logged: bind modes, submit_sm per session, unbind, rejected deliver_sm. */
const simEvents: { msg: string; fields: Record<string, unknown> }[] = [];
const simLog: Logger = { log: (_level, msg, fields = {}) => simEvents.push({ msg, fields }) };
const events = (msg: string) => simEvents.filter((e) => e.msg === msg).map((e) => e.fields);

/** Every line the adapter logged, to prove the password never appears. */
const adapterLines: [Record<string, unknown>, string][] = [];
const logged = (msg: string) => adapterLines.filter(([, m]) => m === msg).length;
const adapterLog = {
  info: (fields: Record<string, unknown>, msg: string) => adapterLines.push([fields, msg]),
  warn: (fields: Record<string, unknown>, msg: string) => adapterLines.push([fields, msg]),
};

let sim: RunningSimulator;
const connectors: SmppConnector[] = [];

function startSim(port = 0): Promise<RunningSimulator> {
  return startSimulator(
    {
      host: '127.0.0.1',
      smppPort: port,
      controlPort: 0,
      systemId: SYSTEM_ID,
      password: PASSWORD,
      accounts: [],
      maxSubmitsPerSecondPerBind: 0,
      scenarios: parseScenarioSet(FAST_RECEIPTS),
      debug: false,
      warnings: [],
    },
    simLog,
  );
}

/** A connector to `port` (the simulator by default) with short timeouts and a seeded random. */
function connector(over: Record<string, unknown> = {}, port = sim.smppPort): SmppConnector {
  const settings = smppKind.parseSettings({
    host: '127.0.0.1',
    port,
    system_id: SYSTEM_ID,
    password_ref: 'env:SMPP_IT_PASSWORD',
    response_timeout_ms: 2000,
    connect_timeout_ms: 1000,
    reconnect_min_ms: 50,
    reconnect_max_ms: 400,
    ...over,
  });
  const c = new SmppConnector({ id: 'conn_smpp_it', name: 'smpp-it', kind: 'smpp' }, settings, {
    password: PASSWORD,
    log: adapterLog,
    random: seededRandom(20),
  });
  connectors.push(c);
  return c;
}

class RecordingSink implements ReceiptSink {
  readonly receipts: DeliveryReport[] = [];
  readonly mos: InboundSms[] = [];
  failReceipts = 0;
  failMos = 0;

  async receipt(connectorId: string, report: DeliveryReport): Promise<void> {
    expect(connectorId).toBe('conn_smpp_it');
    if (this.failReceipts-- > 0) throw new Error('database unavailable');
    this.receipts.push(report);
  }

  async mo(connectorId: string, mo: InboundSms): Promise<void> {
    expect(connectorId).toBe('conn_smpp_it');
    if (this.failMos-- > 0) throw new Error('database unavailable');
    this.mos.push(mo);
  }
}

const req = (over: Partial<SubmitRequest> = {}): SubmitRequest => ({
  messageId: 'msg_it',
  to: '+15550001',
  from: '+4930123456',
  body: 'Hello',
  encoding: 'GSM-7',
  validityPeriodS: null,
  dlrUrl: '',
  ...over,
});

async function until(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** A started connector with its sink. */
async function started(over: Record<string, unknown> = {}): Promise<{ c: SmppConnector; sink: RecordingSink }> {
  const c = connector(over);
  const sink = new RecordingSink();
  await c.start(sink);
  return { c, sink };
}

beforeAll(async () => {
  sim = await startSim();
});

afterAll(async () => {
  await sim.stop();
  expect(JSON.stringify(adapterLines)).not.toContain(PASSWORD);
});

afterEach(async () => {
  await Promise.all(connectors.splice(0).map((c) => c.close(2000)));
  await until(() => sim.smsc.boundCount() === 0, 2000, 'sessions to close');
  sim.smsc.clearMessages();
  sim.scenarios.replace(parseScenarioSet(FAST_RECEIPTS));
  simEvents.length = 0;
});

describe('SMPP connector against the SMSC simulator', () => {
  it('transceiver: submits with E.164 TON/NPI and gets the DELIVRD receipt under the submit_sm_resp id', async () => {
    const { c, sink } = await started();
    expect(sim.smsc.boundCount()).toBe(1);
    expect(events('bind.ok').map((f) => f['mode'])).toEqual(['transceiver']);

    const res = await c.submit(req({ body: 'Hello {world}', validityPeriodS: 3600 }));
    expect(res.partIds).toBeUndefined();
    expect(sim.messages.byId(res.providerMessageId)).toMatchObject({
      source: '4930123456',
      sourceTon: 1,
      sourceNpi: 1,
      destination: '15550001',
      destTon: 1,
      destNpi: 1,
      dataCoding: 0,
      esmClass: 0,
      registeredDelivery: 1,
      text: 'Hello {world}',
    });
    await until(() => sink.receipts.length === 1, 3000, 'receipt');
    expect(sink.receipts[0]).toEqual({
      providerMessageId: res.providerMessageId,
      status: 'delivered',
      carrierStatus: 'DELIVRD',
      carrierCode: '000',
      description: 'delivered to the handset',
    });

    const alpha = await c.submit(req({ from: 'ACME Bank' }));
    expect(sim.messages.byId(alpha.providerMessageId)).toMatchObject({ source: 'ACME Bank', sourceTon: 5, sourceNpi: 0 });
  });

  it('transmitter + receiver: submits on the transmitter, the receipt arrives on the receiver', async () => {
    const { c, sink } = await started({ bind_mode: 'transmitter_receiver' });
    expect(sim.smsc.boundCount()).toBe(2);
    expect(
      events('bind.ok')
        .map((f) => f['mode'])
        .sort(),
    ).toEqual(['receiver', 'transmitter']);
    const res = await c.submit(req());
    await until(() => sink.receipts.length === 1, 3000, 'receipt');
    expect(sink.receipts[0]).toMatchObject({ providerMessageId: res.providerMessageId, status: 'delivered' });
  });

  it('two binds: concurrent submits spread over both, waiting for room in a window of 1', async () => {
    const { c } = await started({ binds: 2, window: 1 });
    expect(sim.smsc.boundCount()).toBe(2);
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => c.submit(req({ to: `+1555000${i}` }))));
    expect(new Set(results.map((r) => r.providerMessageId)).size).toBe(8);
    const sessions = events('submit_sm').map((f) => f['session']);
    expect(sessions).toHaveLength(8);
    expect(new Set(sessions).size).toBe(2);
  });

  it.each([
    ['undeliverable', 'UNDELIV', '001'],
    ['expired', 'EXPIRED', '000'],
    ['rejected', 'REJECTD', '000'],
  ])('%s: the %s receipt is undelivered with err %p', async (outcome, stat, code) => {
    sim.scenarios.replace(parseScenarioSet({ rules: [{ match: '+1555', prefix: true, outcome, delayMs: 10 }] }));
    const { c, sink } = await started();
    const res = await c.submit(req());
    await until(() => sink.receipts.length === 1, 3000, 'receipt');
    expect(sink.receipts[0]).toMatchObject({
      providerMessageId: res.providerMessageId,
      status: 'undelivered',
      carrierStatus: stat,
      carrierCode: code,
    });
  });

  it('ignores ENROUTE but still acknowledges it, then records the final receipt', async () => {
    sim.scenarios.replace(parseScenarioSet({ rules: [{ match: '+15550001', outcome: 'delivered', enrouteFirst: true, delayMs: 50 }] }));
    const { c, sink } = await started();
    const res = await c.submit(req());
    await until(() => sink.receipts.length === 1, 3000, 'receipt');
    expect(sink.receipts).toEqual([expect.objectContaining({ providerMessageId: res.providerMessageId, carrierStatus: 'DELIVRD' })]);
    expect(events('receipt.sent')).toHaveLength(2);
    expect(events('receipt.rejected')).toEqual([]);
  });

  it('submit_error ESME_RINVDSTADR is a PermanentError smpp_0x0b', async () => {
    sim.scenarios.replace(parseScenarioSet({ rules: [{ match: '+15550003', outcome: 'submit_error', commandStatus: '0x0B' }] }));
    const { c } = await started();
    const err = await c.submit(req({ to: '+15550003' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PermanentError);
    expect(err).toMatchObject({ code: 'smpp_0x0b', message: expect.stringContaining('ESME_RINVDSTADR') });
  });

  it('answers ESME_RX_T_APPN when the sink fails to record a receipt', async () => {
    const { c, sink } = await started();
    sink.failReceipts = 1;
    await c.submit(req());
    await until(() => events('receipt.rejected').length === 1, 3000, 'rejected receipt');
    expect(events('receipt.rejected')[0]).toMatchObject({ commandStatus: 0x64 });
    expect(sink.receipts).toEqual([]);
  });

  it('long GSM-7: UDH parts, the escape pair kept whole, receipt on the last part', async () => {
    const { c, sink } = await started();
    const body = 'a'.repeat(152) + '€' + 'b'.repeat(100);
    const res = await c.submit(req({ body }));
    expect(res.partIds).toHaveLength(2);
    expect(res.providerMessageId).toBe(res.partIds![1]);
    const parts = sim.messages.list({ destination: '+15550001' });
    expect(parts.map((p) => [p.messageId, p.esmClass, p.dataCoding, p.registeredDelivery, p.udh?.total, p.udh?.seq])).toEqual([
      [res.partIds![0], 0x40, 0, 0, 2, 1],
      [res.partIds![1], 0x40, 0, 1, 2, 2],
    ]);
    expect(parts[0]!.udh!.ref).toBe(parts[1]!.udh!.ref);
    expect(parts[0]!.text).toBe('a'.repeat(152));
    expect(parts.map((p) => p.text).join('')).toBe(body);
    await until(() => sink.receipts.length === 1, 3000, 'receipt');
    expect(sink.receipts[0]!.providerMessageId).toBe(res.partIds![1]);
  });

  it('long UCS-2: 67-unit UDH parts, the surrogate pair kept whole', async () => {
    const { c } = await started();
    const body = 'Ж'.repeat(66) + '😀' + 'Ж'.repeat(30);
    const res = await c.submit(req({ body, encoding: 'UCS-2' }));
    expect(res.partIds).toHaveLength(2);
    const parts = sim.messages.list();
    expect(parts.map((p) => [p.esmClass, p.dataCoding, p.registeredDelivery])).toEqual([
      [0x40, 8, 0],
      [0x40, 8, 1],
    ]);
    expect(parts[0]!.text).toBe('Ж'.repeat(66));
    expect(parts.map((p) => p.text).join('')).toBe(body);
  });

  it('message_payload: one submit_sm carrying the whole long text in the TLV', async () => {
    const { c } = await started({ concatenation: 'message_payload' });
    const gsm = 'x€'.repeat(150); // 450 octets: more than short_message can hold
    const ucs = 'Ж'.repeat(140); // 280 octets
    const a = await c.submit(req({ body: gsm, to: '+15550011' }));
    const b = await c.submit(req({ body: ucs, to: '+15550012', encoding: 'UCS-2' }));
    expect(a.partIds).toBeUndefined();
    expect(b.partIds).toBeUndefined();
    expect(sim.messages.list({ destination: '15550011' })).toEqual([
      expect.objectContaining({ messageId: a.providerMessageId, esmClass: 0, udh: null, registeredDelivery: 1, text: gsm }),
    ]);
    expect(sim.messages.byId(a.providerMessageId)!.shortMessageHex).toBe(encodeGsm7(gsm)!.toString('hex'));
    expect(sim.messages.byId(b.providerMessageId)).toMatchObject({ dataCoding: 8, esmClass: 0, text: ucs });
    expect(sim.messages.byId(b.providerMessageId)!.shortMessageHex).toBe(encodeUcs2(ucs).toString('hex'));
  });

  it('MO from the control API and sendMo: decoded, E.164 addresses, the same id when repeated', async () => {
    const { sink } = await started();
    const res = await fetch(`http://127.0.0.1:${sim.controlPort}/mo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from: '+4915100000', to: '12345', text: 'STOP {now} €' }),
    });
    expect(res.status).toBe(200);
    expect(sim.smsc.sendMo({ from: '4915100001', to: '12345', text: 'Привет 😀' })).toBe(true);
    expect(sim.smsc.sendMo({ from: '4915100002', to: '12345', text: 'long '.repeat(60) })).toBe(true); // message_payload
    expect(sim.smsc.sendMo({ from: '4915100003', to: '12345', text: 'café', dataCoding: 3 })).toBe(true);
    expect(sim.smsc.sendMo({ from: '4915100001', to: '12345', text: 'Привет 😀' })).toBe(true);
    await until(() => sink.mos.length === 5, 3000, 'five MO');
    const [gsm, ucs, long, latin, repeat] = sink.mos;
    expect(gsm).toMatchObject({ from: '+4915100000', to: '+12345', text: 'STOP {now} €' });
    expect(ucs).toMatchObject({ from: '+4915100001', text: 'Привет 😀' });
    expect(long!.text).toBe('long '.repeat(60));
    expect(latin!.text).toBe('café');
    expect(repeat!.providerMessageId).toBe(ucs!.providerMessageId);
    expect(new Set(sink.mos.map((m) => m.providerMessageId)).size).toBe(4);
    expect(events('mo.rejected')).toEqual([]);

    sink.failMos = 1;
    sim.smsc.sendMo({ from: '4915100004', to: '12345', text: 'again' });
    await until(() => events('mo.rejected').length === 1, 3000, 'rejected MO');
    expect(events('mo.rejected')[0]).toMatchObject({ commandStatus: 0x64 });
  });

  it('ESME_RTHROTTLED: NotSubmittedError with retryAfterMs, and the bind pauses before the next submit', async () => {
    sim.scenarios.replace(
      parseScenarioSet({
        rules: [{ match: '+15550058', outcome: 'submit_error', commandStatus: 'ESME_RTHROTTLED' }],
        default: FAST_RECEIPTS.default,
      }),
    );
    const { c } = await started();
    const err = await c.submit(req({ to: '+15550058' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotSubmittedError);
    expect(err).toMatchObject({ retryAfterMs: THROTTLE_PAUSE_MS, message: expect.stringContaining('ESME_RTHROTTLED') });
    const t0 = Date.now();
    await c.submit(req());
    expect(Date.now() - t0).toBeGreaterThanOrEqual(THROTTLE_PAUSE_MS - 100);
  });

  it('close() unbinds, and submits after it are not submitted', async () => {
    const { c } = await started({ binds: 2 });
    await c.submit(req());
    await c.close(2000);
    expect(events('unbind')).toHaveLength(2);
    await until(() => sim.smsc.boundCount() === 0, 1000, 'unbound');
    await expect(c.submit(req())).rejects.toBeInstanceOf(NotSubmittedError);
  });

  it('SMSC killed and restarted: not submitted while down, then rebinds and submits again', async () => {
    const { c } = await started();
    const port = sim.smppPort;
    const [lost, bound] = [logged('SMPP bind lost'), logged('SMPP bound')];
    await sim.stop();
    await until(() => logged('SMPP bind lost') > lost, 2000, 'the adapter to see the drop');
    const down = await c.submit(req()).catch((e: unknown) => e);
    expect(down).toBeInstanceOf(NotSubmittedError);
    await sleep(300); // a few refused reconnects
    expect(logged('SMPP bind failed')).toBeGreaterThan(0);
    sim = await startSim(port);
    await until(() => logged('SMPP bound') > bound, 5000, 'rebind');
    const res = await c.submit(req());
    expect(sim.messages.byId(res.providerMessageId)).toBeDefined();
  });
});

/** A hand-scripted SMSC on the smpp package's server side, for what the simulator cannot do. */
interface ScriptedSmsc {
  port: number;
  binds: number;
  sessions: Session[];
  close(): Promise<void>;
}

async function scriptedSmsc(on: { submit?: (s: Session, pdu: PDU) => void; answerEnquireLink?: boolean }): Promise<ScriptedSmsc> {
  const state: ScriptedSmsc = { port: 0, binds: 0, sessions: [], close: async () => undefined };
  const server = smpp.createServer({}, (session) => {
    state.sessions.push(session);
    session.on('error', () => undefined);
    session.on('pdu', (pdu: PDU) => {
      if (pdu.command === 'bind_transceiver') {
        state.binds++;
        session.send(pdu.response({ system_id: 'SCRIPTED' }));
      } else if (pdu.command === 'enquire_link' && on.answerEnquireLink !== false) session.send(pdu.response());
      else if (pdu.command === 'unbind') session.send(pdu.response());
      else if (pdu.command === 'submit_sm') on.submit?.(session, pdu);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  state.port = (server.address() as AddressInfo).port;
  state.close = async () => {
    for (const s of state.sessions) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return state;
}

describe('SMPP connector against a scripted SMSC', () => {
  it('a part after the first fails: the error names the parts the SMSC took', async () => {
    let n = 0;
    const smsc = await scriptedSmsc({
      submit: (s, pdu) => s.send(++n === 1 ? pdu.response({ message_id: 'PART1' }) : pdu.response({ command_status: 0x45 })),
    });
    try {
      const c = connector({}, smsc.port);
      await c.start(new RecordingSink());
      const err = await c.submit(req({ body: 'y'.repeat(200) })).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PermanentError);
      expect(err).toMatchObject({
        code: 'smpp_0x45',
        message: expect.stringMatching(/part 2\/2 failed after the SMSC took parts 1-1 \(message_id PART1\).*ESME_RSUBMITFAIL/),
      });
    } finally {
      await smsc.close();
    }
  });

  it('a written submit_sm without an answer is retryable, never "not submitted": timeout and dropped bind', async () => {
    const smsc = await scriptedSmsc({ submit: (s, pdu) => (pdu['destination_addr'] === '15550099' ? s.destroy() : undefined) });
    try {
      const c = connector({ response_timeout_ms: 300 }, smsc.port);
      await c.start(new RecordingSink());
      const timedOut = await c.submit(req()).catch((e: unknown) => e);
      expect(timedOut).toBeInstanceOf(RetryableError);
      expect(timedOut).not.toBeInstanceOf(NotSubmittedError);
      expect((timedOut as Error).message).toMatch(/no submit_sm_resp within 300 ms/);
      const dropped = await c.submit(req({ to: '+15550099' })).catch((e: unknown) => e);
      expect(dropped).toBeInstanceOf(RetryableError);
      expect(dropped).not.toBeInstanceOf(NotSubmittedError);
      expect((dropped as Error).message).toMatch(/lost while waiting for submit_sm_resp/);
    } finally {
      await smsc.close();
    }
  });

  it('enquire_link unanswered: the bind is dropped and bound again', async () => {
    const smsc = await scriptedSmsc({ answerEnquireLink: false });
    try {
      const c = connector({ enquire_link_s: 1, response_timeout_ms: 300 }, smsc.port);
      await c.start(new RecordingSink());
      expect(smsc.binds).toBe(1);
      await until(() => smsc.binds >= 2, 4000, 'a second bind');
      expect(adapterLines).toContainEqual([expect.anything(), 'SMPP enquire_link unanswered: dropping the bind']);
    } finally {
      await smsc.close();
    }
  });

  it('reassembles UDH-concatenated MO parts delivered out of order and acknowledges each', async () => {
    const smsc = await scriptedSmsc({});
    try {
      const c = connector({}, smsc.port);
      const sink = new RecordingSink();
      await c.start(sink);
      const statuses: number[] = [];
      const text = encodeGsm7('Concatenated MO with €uro sign')!;
      const part = (seq: number, data: Buffer) =>
        smsc.sessions[0]!.deliver_sm(
          {
            source_addr: '4915100000',
            source_addr_ton: 1,
            source_addr_npi: 1,
            destination_addr: '12345',
            esm_class: 0x40,
            data_coding: 0,
            short_message: Buffer.concat([Buffer.from([5, 0, 3, 0x77, 2, seq]), data]),
          },
          (resp) => statuses.push(resp.command_status),
        );
      part(2, text.subarray(14));
      part(1, text.subarray(0, 14));
      await until(() => statuses.length === 2, 3000, 'two deliver_sm_resp');
      expect(statuses).toEqual([0, 0]);
      expect(sink.mos).toEqual([expect.objectContaining({ from: '+4915100000', to: '+12345', text: 'Concatenated MO with €uro sign' })]);
    } finally {
      await smsc.close();
    }
  });
});
