import { SAMPLE_FLOW } from '@gw/flow';
import {
  ApiCall,
  ApiMessage,
  AriSimControl,
  CALL_TERMINAL,
  CallbackReceiver,
  GatewayClient,
  SmscControl,
  TERMINAL,
  eventually,
} from '@gw/stack-client';

/**
 * The main job, against the running local stack: creates a project and key, sends three SMS
 * through the api -> outbox -> Kafka -> sms-connector -> Jasmin -> SMSC path, prints every status
 * as it arrives until each is terminal (delivery reports are Jasmin's own callbacks), receives an
 * MO, places a call running the sample IVR through the call orchestrator and the ARI simulator
 * (printing its timeline), and prints the signed callbacks and the usage counters.
 */
async function main(): Promise<void> {
  const env = process.env;
  const operatorSecret = need('OPERATOR_SECRET');
  const api = new GatewayClient(`http://127.0.0.1:${env.API_PORT ?? 58080}`);
  const smsc = new SmscControl(need('SMSC_CONTROL_URL'));
  const receiver = new CallbackReceiver();
  await receiver.start();

  const undeliverable = '+15550000404';
  await smsc.setRules([{ match: undeliverable, outcome: 'undeliverable', delayMs: 400, err: '001' }], {
    outcome: 'delivered',
    delayMs: 600,
  });

  const project = await api.createProject(operatorSecret, `main-job ${new Date().toISOString()}`, receiver.url);
  receiver.useSecret(project.webhook_secret);
  const gw = api.as(project.api_key);
  const ownNumber = `+1500555${String(Date.now()).slice(-4)}`;
  await api.addNumber(operatorSecret, project.id, ownNumber);
  await api.grantSenderId(operatorSecret, project.id, 'ACME');
  line(`project ${project.id} created; API key ${project.api_key.slice(0, 17)}...; number ${ownNumber}; sender id ACME`);

  const requests = [
    {
      label: 'multi-part GSM-7',
      to: '+14155550100',
      body: 'Your order #4711 has shipped. ' + 'Track it any time at https://example.com/t/4711 [ref: €12.50]. '.repeat(3),
    },
    { label: 'UCS-2 with emoji', to: '+14155550101', body: 'Привет! Your code is 482913 🚀' },
    { label: 'undeliverable', to: undeliverable, body: 'This number does not exist.' },
  ];
  const sent: Array<{ label: string; msg: ApiMessage }> = [];
  for (const r of requests) {
    const msg = await gw.send({ to: r.to, from: 'ACME', body: r.body, status_callback: receiver.url });
    sent.push({ label: r.label, msg });
    line(`${msg.id} [${r.label}] ${msg.encoding}, ${msg.segments} segment(s) -> ${msg.status}`);
  }

  await Promise.all(
    sent.map(({ label, msg }) =>
      gw.waitFor(
        msg.id,
        (m) => TERMINAL.has(m.status),
        60000,
        (m) => {
          const last = m.timeline?.[m.timeline.length - 1];
          const carrier = last?.carrier_status
            ? ` (carrier: ${last.carrier_status}${last.carrier_code ? ` err ${last.carrier_code}` : ''})`
            : '';
          line(`${m.id} [${label}] -> ${m.status}${carrier}`);
        },
      ),
    ),
  );

  await smsc.sendMo('+14155550123', ownNumber, 'STOP? No, just saying hi 👋');
  const inbound = await eventually(async () => {
    const page = (await gw.getRaw('/v1/messages?direction=inbound')).body as { data: ApiMessage[] };
    return page.data[0];
  }, 30000);
  line(`${inbound.id} [MO] from ${inbound.from} to ${inbound.to}: "${inbound.body}" -> ${inbound.status}`);

  const expectedCallbacks = sent.length + 1;
  await eventually(async () => (new Set(receiver.received.map((c) => c.data.id)).size >= expectedCallbacks ? true : undefined), 30000);
  for (const c of receiver.received)
    line(`callback ${c.type} ${String(c.data.id)} ${String(c.data.status)} signature ${c.verified ? 'verified' : 'INVALID'}`);

  await placeCall(gw, new AriSimControl(need('ARI_URL')), ownNumber);

  const today = new Date().toISOString().slice(0, 10);
  const expectedOut = sent.reduce((n, s) => n + s.msg.segments, 0);
  const usage = await eventually(async () => {
    const u = await gw.usage(today, today);
    return u.totals.sms_outbound_segments >= expectedOut && u.totals.sms_inbound_segments >= 1 && u.totals.call_minutes >= 1
      ? u
      : undefined;
  }, 30000);
  line(
    `usage ${today}: ${usage.totals.sms_outbound_segments} outbound segments, ${usage.totals.sms_inbound_segments} inbound segments, ${usage.totals.call_minutes} call minute(s)`,
  );
  await receiver.stop();
}

/**
 * Places a call running the sample IVR (say -> gather -> branch -> record -> hangup) on the ARI
 * simulator, whose far end presses 1 during the menu and # to end the message, and prints the
 * call's timeline as it grows. `from` is the project's own number (a caller id must be one).
 */
async function placeCall(gw: GatewayClient, sim: AriSimControl, from: string): Promise<void> {
  const to = '+15557000001';
  await sim.setRules([
    {
      number: to,
      answerAfterMs: 800,
      speechMs: 2000,
      digits: [
        { digits: '1', afterPlaybackStartMs: 600, playback: 2 },
        { digits: '#', atMs: 6000 },
      ],
    },
  ]);
  const flowId = await gw.createFlow('sample IVR', SAMPLE_FLOW);
  const call = await gw.placeCall({ to, from, flow_id: flowId });
  line(`${call.id} [voice] to ${to} running flow ${flowId} -> ${call.status}`);
  let shown = 0;
  const final = await gw.waitForCall(
    call.id,
    (c) => {
      for (const e of c.timeline.slice(shown)) line(`${call.id}   ${describe(e)}`);
      shown = c.timeline.length;
      return CALL_TERMINAL.has(c.status) && c.timeline.some((e) => e.kind === 'transition' && CALL_TERMINAL.has(e.to_status ?? ''));
    },
    90000,
  );
  line(
    `${call.id} [voice] ${final.status} (${final.hangup_cause}), ${final.duration_s} s, recordings: ${final.recordings.map((r) => `${r.id} ${r.duration_s} s`).join(', ') || 'none'}`,
  );
}

function describe(e: ApiCall['timeline'][number]): string {
  if (e.kind === 'transition') return `${e.from_status ?? '-'} --${e.event}--> ${e.to_status}`;
  const step = e.step ? ` step ${String(e.step.index)}${e.step.label ? ` (${String(e.step.label)})` : ''}` : '';
  const detail = e.detail
    ? ` ${JSON.stringify(e.kind === 'verb_started' ? pick(e.detail, ['text', 'numDigits', 'timeoutMs', 'maxLengthMs', 'finishOnKey', 'reason']) : e.detail)}`
    : '';
  return `${e.kind} ${e.event ?? ''}${step}${detail}`;
}

function pick(o: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => k in o).map((k) => [k, o[k]]));
}

function need(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set (source .state/stack.env)`);
  return v;
}

function line(text: string): void {
  process.stdout.write(`${new Date().toISOString().slice(11, 23)}  ${text}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`main job failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
