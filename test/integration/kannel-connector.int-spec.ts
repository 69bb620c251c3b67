import { createServer, type Server } from 'node:http';
import { request } from 'undici';
import { type CarrierAdapter, type CarrierKind, carrierKind, secretResolver } from '@gw/connectors';
import type { DeliveryReport, SubmitRequest } from '@gw/connectors';
import { eventually, listenOnReceiverPort, SmscControl } from '@gw/stack-client';

/**
 * The `kannel` carrier kind against the local stack's real Kannel (bearerbox + smsbox, bound to the
 * SMSC simulator under Kannel's own account): submit through the adapter, see the submit_sm at
 * the simulator, and receive Kannel's DLRs on a listener standing in for the gateway's dlr-url.
 */
describe('kannel carrier kind against the local Kannel', () => {
  const need = (name: string): string => {
    const value = process.env[name];
    if (!value) throw new Error(`${name} is not in stack.env: start Kannel with infra/stack.sh up kannel`);
    return value;
  };
  const smsc = new SmscControl(need('SMSC_CONTROL_URL'));
  const kannelAccount = need('SMSC_KANNEL_SYSTEM_ID');
  const dlrs: URLSearchParams[] = [];
  let server: Server;
  let dlrBase: string;
  let kind: CarrierKind;
  let adapter: CarrierAdapter;

  beforeAll(async () => {
    const status = await request(`http://127.0.0.1:${need('KANNEL_ADMIN_PORT')}/status.txt`, { signal: AbortSignal.timeout(2000) })
      .then((res) => res.body.text())
      .catch((err: unknown) => `unreachable (${(err as { code?: string }).code ?? String(err)})`);
    if (!status.includes('Status: running') || !/SMPP:127\.0\.0\.1:\d+\/\d+:[^\n]*\(online/.test(status)) {
      const smscLine = /SMSC connections:\s*\n\s*(.*)/.exec(status)?.[1];
      throw new Error(
        `Kannel is not running with its SMPP bind online (${smscLine ?? status.slice(0, 120)}): start it with infra/stack.sh up kannel`,
      );
    }
    server = createServer((req, res) => {
      dlrs.push(new URL(req.url ?? '/', 'http://127.0.0.1').searchParams);
      res.writeHead(200, { 'content-type': 'text/plain' }).end(kind.webhook!.ack);
    });
    dlrBase = `http://127.0.0.1:${await listenOnReceiverPort(server)}/webhooks/kannel/dlr`;
    kind = carrierKind('kannel')!;
    const settings = kind.parseSettings({
      url: need('KANNEL_SENDSMS_URL'),
      username: need('KANNEL_SENDSMS_USERNAME'),
      password_ref: 'env:KANNEL_SENDSMS_PASSWORD',
      timeout_ms: 5000,
    });
    adapter = kind.create({ id: 'conn_kannel_it', name: 'kannel-it', kind: 'kannel' }, settings, {
      secrets: secretResolver(),
      log: { info: () => undefined, warn: () => undefined },
    });
  });

  afterAll(async () => {
    await adapter?.close(1000);
    await new Promise<void>((resolve) => (server?.listening ? server.close(() => resolve()) : resolve()));
  });

  /** A message unique to this run (the simulator's log is shared with other tests). */
  const message = (n: number, body: string, encoding: SubmitRequest['encoding']): SubmitRequest => {
    const messageId = `msg_kannelit${Date.now()}${n}`;
    return {
      messageId,
      to: `+1415555${7300 + n}`,
      from: 'KANNELIT',
      body: `${body} ${messageId}`,
      encoding,
      validityPeriodS: 600,
      dlrUrl: `${dlrBase}?msg=${messageId}&conn=conn_kannel_it&token=tok-${n}`,
    };
  };

  const submitAndSee = async (req: SubmitRequest) => {
    await expect(adapter.submit(req)).resolves.toEqual({ providerMessageId: req.messageId });
    return eventually(
      async () => (await smsc.messages(req.to)).find((m) => m.text === req.body),
      15_000,
      `the submit_sm of ${req.messageId} at the simulator`,
    );
  };

  const reportsOf = (messageId: string): Array<DeliveryReport | null> =>
    dlrs.filter((q) => q.get('msg') === messageId).map((q) => kind.webhook!.parseDlr(Object.fromEntries(q)));

  it('submits GSM-7 text under Kannel’s SMSC account and gets the receipt back as delivered', async () => {
    const req = message(1, 'Kannel GSM-7 € [ok]', 'GSM-7');
    const record = (await submitAndSee(req)) as { systemId: string; dataCoding: number; messageId: string };
    expect(record.systemId).toBe(kannelAccount);
    expect(record.dataCoding).toBe(0);

    const delivered = await eventually(
      () => reportsOf(req.messageId).find((r) => r?.status === 'delivered'),
      15_000,
      `a delivered DLR for ${req.messageId}`,
    );
    expect(delivered).toEqual({
      providerMessageId: req.messageId,
      status: 'delivered',
      carrierStatus: 'DELIVRD',
      carrierCode: '000',
      description: 'delivered to the handset',
    });
    const query = dlrs.find((q) => q.get('msg') === req.messageId && q.get('type') === '1')!;
    expect(query.get('conn')).toBe('conn_kannel_it');
    expect(query.get('token')).toBe('tok-1');
    expect(query.get('smscid')).toBe(record.messageId);
    expect(reportsOf(req.messageId)).toContainEqual(expect.objectContaining({ status: 'sent', carrierStatus: 'ACK' }));
  });

  it('submits UCS-2 text as data_coding 8 with every character, emoji included', async () => {
    const req = message(2, 'Kannel UCS-2 Привет 😀', 'UCS-2');
    const record = (await submitAndSee(req)) as { systemId: string; dataCoding: number };
    expect(record.systemId).toBe(kannelAccount);
    expect(record.dataCoding).toBe(8);
    await eventually(() => reportsOf(req.messageId).find((r) => r?.status === 'delivered'), 15_000, `a delivered DLR for ${req.messageId}`);
  });
});
