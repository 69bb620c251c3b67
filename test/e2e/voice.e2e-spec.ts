import { createServer, Server } from 'node:http';
import { ApiCall, AriSimControl, listenOnReceiverPort } from '@gw/stack-client';
import { E2e, env, eventually, TestProject, uniqueNumber } from '../support/e2e';

/**
 * Voice through the real path: api -> outbox -> Kafka -> call-orchestrator (ari-client) -> ARI
 * simulator, flows run by the interpreter, timeline and status back through Postgres.
 */
describe('voice calls through ari-client and the ARI simulator', () => {
  const t = new E2e();
  const sim = new AriSimControl(env('ARI_URL'));
  let p: TestProject;

  beforeAll(async () => {
    await t.start();
    p = await t.project('voice');
  });
  afterAll(() => t.stop());

  const say = (text: string, extra: Record<string, unknown> = {}) => ({ verb: 'say', text, ...extra });
  const menu = (extra: Record<string, unknown> = {}) => ({
    version: 1,
    steps: [
      {
        verb: 'gather',
        label: 'menu',
        numDigits: 1,
        timeout: 2,
        prompt: { verb: 'say', text: 'Press 1 for sales' },
        branches: { '1': 'sales' },
        default: 'other',
        onTimeout: 'silence',
        ...extra,
      },
      { verb: 'say', label: 'sales', text: 'Sales', next: 'bye' },
      { verb: 'say', label: 'other', text: 'Other', next: 'bye' },
      { verb: 'say', label: 'silence', text: 'Nothing pressed' },
      { verb: 'hangup', label: 'bye' },
    ],
  });
  const finished = (c: ApiCall, verb: string) =>
    c.timeline.filter((e) => e.kind === 'verb_finished' && e.event === verb).map((e) => e.detail);
  const started = (c: ApiCall) =>
    c.timeline.filter((e) => e.kind === 'verb_started').map((e) => `${e.event}${e.step?.label ? `:${String(e.step.label)}` : ''}`);
  const transitions = (c: ApiCall) => c.timeline.filter((e) => e.kind === 'transition').map((e) => e.to_status);
  const place = (to: string, flow: unknown, extra: Record<string, unknown> = {}) => p.gw.placeCall({ to, from: p.number, flow, ...extra });

  describe('gather', () => {
    it.each([
      ['a digit picks its branch', '1', 'sales', { digits: '1', reason: 'num_digits' }],
      ['an unknown digit takes the default', '7', 'other', { digits: '7', reason: 'num_digits' }],
    ])('%s', async (_name, digit, label, gathered) => {
      const to = uniqueNumber();
      await sim.setRules([{ number: to, digits: [{ digits: digit, afterPlaybackStartMs: 300 }] }]);
      const call = await p.gw.waitForCall((await place(to, menu())).id);
      expect(call).toMatchObject({ status: 'completed', hangup_cause: 'NORMAL_CLEARING' });
      expect(finished(call, 'gather')[0]).toMatchObject(gathered);
      expect(started(call)).toEqual(['gather:menu', `say:${label}`, 'hangup:bye']);
    });

    it('silence takes the timeout branch', async () => {
      const to = uniqueNumber();
      await sim.setRules([{ number: to }]);
      const call = await p.gw.waitForCall((await place(to, menu())).id);
      expect(finished(call, 'gather')[0]).toMatchObject({ digits: '', reason: 'timeout' });
      expect(started(call)).toEqual(['gather:menu', 'say:silence', 'hangup:bye']);
    });

    it('ends on the inter-digit timeout with the digits so far', async () => {
      const to = uniqueNumber();
      await sim.setRules([{ number: to, digits: [{ digits: '42', afterPlaybackStartMs: 200 }] }]);
      const flow = menu({ numDigits: undefined, maxDigits: 4, interDigitTimeout: 1, branches: { '42': 'sales' } });
      const call = await p.gw.waitForCall((await place(to, JSON.parse(JSON.stringify(flow)))).id);
      expect(finished(call, 'gather')[0]).toMatchObject({ digits: '42', reason: 'inter_digit_timeout' });
      expect(started(call)).toContain('say:sales');
    });

    it('ends on the finish key, which is not part of the digits', async () => {
      const to = uniqueNumber();
      await sim.setRules([{ number: to, digits: [{ digits: '42#', afterPlaybackStartMs: 200 }] }]);
      const flow = menu({ numDigits: undefined, maxDigits: 4, interDigitTimeout: 3, finishOnKey: '#', branches: { '42': 'sales' } });
      const call = await p.gw.waitForCall((await place(to, JSON.parse(JSON.stringify(flow)))).id);
      expect(finished(call, 'gather')[0]).toMatchObject({ digits: '42', reason: 'finish_key' });
    });

    it('a digit interrupts the prompt (barge-in)', async () => {
      const to = uniqueNumber();
      await sim.setRules([{ number: to, digits: [{ digits: '1', afterPlaybackStartMs: 200 }] }]);
      const call = await p.gw.waitForCall((await place(to, menu())).id);
      const [log] = await sim.calls({ channelId: call.id });
      const actions = log.actions.map((a) => a.action);
      const firstPlay = log.actions.find((a) => a.action === 'play')!;
      expect(actions).toContain('playback-stopped');
      const stopped = log.actions.find((a) => a.action === 'playback-stopped')!;
      expect(stopped.playbackId).toBe(firstPlay.playbackId);
      expect(actions.indexOf('dtmf-received')).toBeLessThan(actions.indexOf('playback-stopped'));
    });
  });

  describe('call outcomes', () => {
    it('busy', async () => {
      const to = uniqueNumber();
      await sim.setRules([{ number: to, outcome: 'busy', answerAfterMs: 100 }]);
      const call = await p.gw.waitForCall((await place(to, menu())).id);
      expect(call).toMatchObject({ status: 'busy', hangup_cause: 'USER_BUSY', duration_s: 0 });
      expect(started(call)).toEqual([]);
    });

    it('no answer within the ring timeout', async () => {
      const to = uniqueNumber();
      await sim.setRules([{ number: to, outcome: 'noanswer' }]);
      const call = await p.gw.waitForCall((await place(to, menu(), { timeout: 5 })).id, undefined, 30000);
      expect(call).toMatchObject({ status: 'no-answer', hangup_cause: 'NO_ANSWER' });
      expect(transitions(call)).toEqual(['queued', 'initiated', 'ringing', 'no-answer']);
    });

    it('far end hangs up during a playback: completed, cause kept, the flow stops', async () => {
      const to = uniqueNumber();
      await sim.setRules([{ number: to, hangupAfterMs: 500 }]);
      const flow = { version: 1, steps: [say('This is long', { loop: 5 }), say('never said'), { verb: 'hangup' }] };
      const call = await p.gw.waitForCall((await place(to, flow)).id);
      expect(call).toMatchObject({ status: 'completed', hangup_cause: 'NORMAL_CLEARING' });
      expect(started(call)).toEqual(['say']);
      expect(finished(call, 'say')[0]).toMatchObject({ kind: 'hungup' });
    });

    it('hangs up on request through the API', async () => {
      const to = uniqueNumber();
      await sim.setRules([{ number: to }]);
      const placed = await place(to, { version: 1, steps: [{ verb: 'pause', length: 30 }] });
      await p.gw.waitForCall(placed.id, (c) => c.status === 'in-progress');
      const res = await p.gw.postRaw(`/v1/calls/${placed.id}/hangup`, {});
      expect(res.status).toBe(202);
      const call = await p.gw.waitForCall(placed.id);
      expect(call.status).toBe('completed');
      expect(call.timeline.some((e) => e.event === 'api.hangup')).toBe(true);
    });
  });

  describe('dial', () => {
    it('bridges the second leg and continues when it hangs up', async () => {
      const to = uniqueNumber();
      const agent = uniqueNumber();
      await sim.setRules([{ number: to }, { number: agent, answerAfterMs: 200, hangupAfterMs: 1200 }]);
      const flow = { version: 1, steps: [{ verb: 'dial', target: agent, timeout: 10 }, say('after the dial'), { verb: 'hangup' }] };
      const call = await p.gw.waitForCall((await place(to, flow)).id);
      expect(finished(call, 'dial')[0]).toMatchObject({ kind: 'dialed', status: 'completed' });
      expect(call.timeline.some((e) => e.event === 'dial.bridged')).toBe(true);
      expect(started(call)).toEqual(['dial', 'say', 'hangup']);
      const [leg] = await sim.calls({ number: agent });
      expect(leg.actions.map((a) => a.action)).toContain('bridge-enter');
    });

    it('takes onBusy when the second leg is busy', async () => {
      const to = uniqueNumber();
      const agent = uniqueNumber();
      await sim.setRules([{ number: to }, { number: agent, outcome: 'busy', answerAfterMs: 100 }]);
      const flow = {
        version: 1,
        steps: [
          { verb: 'dial', target: agent, onBusy: 'busy' },
          { verb: 'hangup' },
          say('agent busy', { label: 'busy' }),
          { verb: 'hangup' },
        ],
      };
      const call = await p.gw.waitForCall((await place(to, flow)).id);
      expect(finished(call, 'dial')[0]).toMatchObject({ status: 'busy' });
      expect(started(call)).toEqual(['dial', 'say:busy', 'hangup']);
    });
  });

  it('stores a recording that can be fetched', async () => {
    const to = uniqueNumber();
    await sim.setRules([{ number: to, speechMs: 1500, digits: [{ digits: '#', atMs: 2500 }] }]);
    const flow = { version: 1, steps: [{ verb: 'record', maxLength: 10, finishOnKey: '#', beep: true }, { verb: 'hangup' }] };
    const call = await p.gw.waitForCall((await place(to, flow)).id);
    expect(call.recordings).toHaveLength(1);
    expect(finished(call, 'record')[0]).toMatchObject({ kind: 'recorded', recordingId: call.recordings[0].id });
    const res = await p.gw.getBytes(call.recordings[0].url);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('audio/wav');
    const audio = res.body;
    expect(audio.subarray(0, 4).toString()).toBe('RIFF');
    expect(audio.length).toBeGreaterThan(44);
  });

  describe('redirect', () => {
    let server: Server;
    let url: string;
    let received: unknown[] = [];
    beforeAll(async () => {
      server = createServer((req, res) => {
        let body = '';
        req.on('data', (c) => (body += c));
        req.on('end', () => {
          received.push({ headers: req.headers, body: JSON.parse(body || '{}') });
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify([{ verb: 'say', text: 'from the project' }, { verb: 'hangup' }]));
        });
      });
      // On a receiver port: the local stack's apps reach loopback there only (OUTBOUND_ALLOWED_CIDRS).
      url = `http://127.0.0.1:${await listenOnReceiverPort(server)}/next`;
    });
    afterAll(() => new Promise<void>((r) => server.close(() => r())));

    it('runs the verbs the project URL returns, signed like callbacks', async () => {
      received = [];
      const to = uniqueNumber();
      await sim.setRules([{ number: to }]);
      const flow = { version: 1, steps: [{ verb: 'redirect', url, fallback: 'fb' }, say('fallback', { label: 'fb' }), { verb: 'hangup' }] };
      const call = await p.gw.waitForCall((await place(to, flow)).id);
      expect(started(call)).toEqual(['fetch', 'say', 'hangup']);
      expect(call.timeline.find((e) => e.event === 'say' && e.kind === 'verb_started')?.detail).toMatchObject({ text: 'from the project' });
      const [hit] = received as Array<{ headers: Record<string, string>; body: Record<string, unknown> }>;
      expect(hit.headers['webhook-signature']).toMatch(/^v1,/);
      expect(hit.body).toMatchObject({ call_id: call.id, purpose: 'redirect' });
    });

    it('posts gathered digits to an actionHook and runs the verbs it returns', async () => {
      received = [];
      const to = uniqueNumber();
      await sim.setRules([{ number: to, digits: [{ digits: '5', afterPlaybackStartMs: 200 }] }]);
      const flow = {
        version: 1,
        steps: [{ verb: 'gather', numDigits: 1, timeout: 3, prompt: { verb: 'say', text: 'Pick one' }, actionHook: url }],
      };
      const call = await p.gw.waitForCall((await place(to, flow)).id);
      expect(started(call)).toEqual(['gather', 'fetch', 'say', 'hangup']);
      const [hit] = received as Array<{ body: Record<string, unknown> }>;
      expect(hit.body).toMatchObject({ call_id: call.id, purpose: 'actionHook', digits: '5' });
    });

    it('falls back when the URL is down', async () => {
      const to = uniqueNumber();
      await sim.setRules([{ number: to }]);
      // A receiver port nothing listens on any more: accepted, then the connection is refused.
      const gone = createServer();
      const port = await listenOnReceiverPort(gone);
      await new Promise((r) => gone.close(r));
      const flow = {
        version: 1,
        steps: [
          { verb: 'redirect', url: `http://127.0.0.1:${port}/down`, timeout: 2, fallback: 'fb' },
          say('fallback', { label: 'fb' }),
          { verb: 'hangup' },
        ],
      };
      const call = await p.gw.waitForCall((await place(to, flow)).id);
      expect(finished(call, 'fetch')[0]).toMatchObject({ kind: 'fetched', ok: false });
      expect(started(call)).toEqual(['fetch', 'say:fb', 'hangup']);
    });
  });

  describe('inbound', () => {
    it("answers a call to a project number with the number's active flow", async () => {
      const own = uniqueNumber();
      const flowId = await p.gw.createFlow('inbound', { version: 1, steps: [say('Hello caller'), { verb: 'hangup' }] });
      await t.api.addNumber(env('OPERATOR_SECRET'), p.id, own, flowId);
      const caller = uniqueNumber();
      const channelId = await sim.inbound(caller, own, 'gateway');
      const call = await eventually(async () => {
        const page = (await p.gw.getRaw(`/v1/calls?direction=inbound&from=${encodeURIComponent(caller)}`)).body as { data: ApiCall[] };
        return page.data[0] && (await p.gw.waitForCall(page.data[0].id));
      });
      expect(call).toMatchObject({ status: 'completed', direction: 'inbound' });
      expect(started(call)).toEqual(['say', 'hangup']);
      const [log] = await sim.calls({ channelId });
      expect(log.actions.map((a) => a.action)).toContain('answer');
    });

    it('rejects a call to a number no project owns with UNALLOCATED', async () => {
      const channelId = await sim.inbound(uniqueNumber(), uniqueNumber(), 'gateway');
      const log = await eventually(async () => {
        const [c] = await sim.calls({ channelId });
        return c?.actions.some((a) => a.action === 'hangup') ? c : undefined;
      });
      expect(log.actions.find((a) => a.action === 'hangup')).toMatchObject({ by: 'app', cause: 1 });
    });
  });

  it('publishes signed status callbacks and counts call minutes', async () => {
    const to = uniqueNumber();
    await sim.setRules([{ number: to }]);
    const fresh = await t.project('voice-usage');
    const placed = await fresh.gw.placeCall({
      to,
      from: fresh.number,
      flow: { version: 1, steps: [{ verb: 'pause', length: 1 }, { verb: 'hangup' }] },
    });
    const call = await fresh.gw.waitForCall(placed.id);
    expect(call.status).toBe('completed');
    const statuses = await eventually(() => {
      const got = fresh.receiver.about(call.id).map((c) => c.data.status);
      return got.includes('completed') ? got : undefined;
    });
    expect(statuses).toEqual(expect.arrayContaining(['initiated', 'ringing', 'in-progress', 'completed']));
    expect(fresh.receiver.about(call.id).every((c) => c.verified && c.type === 'call.status')).toBe(true);
    const today = new Date().toISOString().slice(0, 10);
    const usage = await eventually(async () => {
      const u = await fresh.gw.usage(today, today);
      return u.totals.call_minutes >= 1 ? u : undefined;
    });
    expect(usage.totals.call_minutes).toBe(1);
  });
});
