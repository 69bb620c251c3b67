import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AriSimControl, listenOnReceiverPort, RECEIVER_PORTS, TERMINAL, type ApiCall } from '@gw/stack-client';
import { E2e, env, ErrorBody, eventually, TestProject, uniqueNumber } from '../support/e2e';

/**
 * An HTTP endpoint standing in for a project URL: records each request; answers `redirectTo` with a
 * 307 when set, else 200 with `answer` (flow verbs, for fetches).
 */
class Endpoint {
  readonly hits: Array<{ path: string; headers: IncomingHttpHeaders }> = [];
  redirectTo: string | null = null;
  answer: unknown = [{ verb: 'hangup' }];
  private server!: Server;

  /**
   * @param host the address it listens on.
   * @param onReceiverPort listen on a receiver port (127.0.0.1 only), which the local stack's apps may
   *   reach; otherwise on an ephemeral port outside that range, which they may not.
   */
  constructor(
    private readonly host: string,
    private readonly onReceiverPort = false,
  ) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        this.hits.push({ path: req.url ?? '', headers: req.headers });
        if (this.redirectTo) res.writeHead(307, { location: this.redirectTo }).end();
        else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(this.answer));
      });
    });
    if (this.onReceiverPort) await listenOnReceiverPort(this.server);
    else {
      for (;;) {
        await new Promise<void>((r) => this.server.listen(0, this.host, r));
        if (!isReceiverPort(this.port)) break;
        await new Promise((r) => this.server.close(r));
      }
    }
    return this;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** Its URL at `path`, by address or by the host name given. */
  url(path: string, hostname = this.host): string {
    return `http://${hostname}:${this.port}${path}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }
}

const isReceiverPort = (port: number) => port >= RECEIVER_PORTS.first && port <= RECEIVER_PORTS.last;

/**
 * Every URL the gateway calls on a project's behalf (callbacks, flow fetches) reaches public
 * addresses only, checked when the api accepts it and again when a connection is opened; dial
 * targets stay inside the project's dial allowlist, checked when a flow is accepted and again at
 * dial time. The local stack's apps run with OUTBOUND_ALLOWED_CIDRS=127.0.0.1/32:58200-58399
 * (scripts/apps.sh): loopback on the receivers' ports (RECEIVER_PORTS) is the one exception, so
 * 127.0.0.1 on any other port, and 127.0.0.2 on any port, stand for internal addresses here.
 */
describe('outbound requests to project URLs stay off internal addresses', () => {
  const t = new E2e();
  const sim = new AriSimControl(env('ARI_URL'));
  const secret = () => env('OPERATOR_SECRET');
  let p: TestProject;
  /** 127.0.0.2: loopback, never an exception. */
  let internal: Endpoint;
  /** 127.0.0.1 outside the receivers' ports. */
  let elsewhere: Endpoint;
  /** 127.0.0.1 on receiver ports, which the apps may reach: one answers callbacks with a redirect, one serves flow fetches. */
  let redirecting: Endpoint;
  let fetched: Endpoint;

  beforeAll(async () => {
    await t.start();
    p = await t.project('outbound-addresses');
    internal = await new Endpoint('127.0.0.2').start();
    elsewhere = await new Endpoint('127.0.0.1').start();
    redirecting = await new Endpoint('127.0.0.1', true).start();
    fetched = await new Endpoint('127.0.0.1', true).start();
  });
  afterAll(async () => {
    await Promise.all([internal.stop(), elsewhere.stop(), redirecting.stop(), fetched.stop()]);
    await t.stop();
  });

  const fieldsOf = (body: unknown) => (body as ErrorBody).error.fields ?? [];
  const fieldOf = (body: unknown) => fieldsOf(body).map((f) => f.field);

  describe('the api refuses callback URLs it would not deliver to, naming the field', () => {
    const refused: Array<[string, string]> = [
      ["localhost on a port outside the receivers' range", `http://localhost:${RECEIVER_PORTS.last + 1}/x`],
      ['loopback on the discard port', 'http://127.0.0.1:9/'],
      ['a private address (10/8)', 'http://10.0.0.5/'],
      ['the cloud metadata address', 'http://169.254.169.254/latest/meta-data'],
      ['IPv6 loopback', 'http://[::1]/'],
      ['a private address (192.168/16)', 'http://192.168.1.1/'],
      ['another loopback address on a receiver port', `http://127.0.0.2:${RECEIVER_PORTS.first}/cb`],
      ['loopback written as one number', 'http://2130706434/cb'],
      ['an IPv4-mapped metadata address', 'http://[::ffff:169.254.169.254]/'],
    ];

    it.each(refused)('POST /v1/messages with status_callback on %s', async (_what, url) => {
      const res = await p.gw.sendRaw({ to: uniqueNumber(), from: p.number, body: 'hi', status_callback: url });
      expect(res.status).toBe(400);
      expect((res.body as ErrorBody).error.code).toBe('validation_failed');
      expect(fieldOf(res.body)).toEqual(['status_callback']);
    });

    it.each(refused)('POST /admin/projects with default_callback_url on %s, writing nothing', async (_what, url) => {
      const name = `ssrf-${Date.now()}-${Math.random()}`;
      const res = await t.api.adminRaw(secret(), 'POST', '/admin/projects', { name, default_callback_url: url });
      expect(res.status).toBe(400);
      expect(fieldOf(res.body)).toEqual(['default_callback_url']);
      expect(await t.count(`SELECT count(*) AS n FROM projects WHERE name = $1`, [name])).toBe(0);
    });

    it('names the resolved address when a host name is the problem', async () => {
      const res = await p.gw.sendRaw({
        to: uniqueNumber(),
        from: p.number,
        body: 'hi',
        status_callback: elsewhere.url('/cb', 'localhost'),
      });
      expect(res.status).toBe(400);
      // Where the hosts file also maps localhost to ::1, that address may be the one named.
      expect(fieldsOf(res.body)).toEqual([
        {
          field: 'status_callback',
          message: expect.stringMatching(
            /^must be on a public address: localhost resolves to (127\.0\.0\.1|::1), which is loopback$/,
          ) as unknown,
        },
      ]);
    });

    it('POST /v1/calls with status_callback on a private address', async () => {
      const flow = { version: 1, steps: [{ verb: 'hangup' }] };
      const res = await p.gw.postRaw('/v1/calls', { to: uniqueNumber(), from: p.number, flow, status_callback: 'http://192.168.1.10/cb' });
      expect(res.status).toBe(400);
      expect(fieldOf(res.body)).toEqual(['status_callback']);
    });

    it("takes a receiver on the receivers' ports, which gets its callbacks", async () => {
      expect(isReceiverPort(Number(new URL(p.receiver.url).port))).toBe(true);
      const msg = await p.gw.send({ to: uniqueNumber(), from: p.number, body: 'hi', status_callback: p.receiver.url });
      await eventually(
        () => (p.receiver.about(msg.id).some((c) => c.verified && c.data.status === 'delivered') ? true : undefined),
        60000,
        'the delivered callback at the receiver',
      );
    });
  });

  it('a callback is not sent along a redirect: the 3xx is a failed attempt, retried at the same URL', async () => {
    redirecting.redirectTo = p.receiver.url;
    const msg = await p.gw.send({
      to: uniqueNumber(),
      from: p.number,
      body: 'redirected callback',
      status_callback: redirecting.url('/cb'),
    });
    // The first attempt and its retry (CALLBACK_BACKOFF_MS later) both reach the redirecting URL.
    await eventually(
      () => {
        const ids = redirecting.hits.map((h) => String(h.headers['webhook-id']));
        return ids.some((id, i) => ids.indexOf(id) !== i) ? true : undefined;
      },
      60000,
      'a retried callback',
    );
    expect(new Set(redirecting.hits.map((h) => h.path))).toEqual(new Set(['/cb']));
    expect(p.receiver.about(msg.id)).toEqual([]);
    // The remaining retries then succeed where they are sent, instead of running on after the test.
    redirecting.redirectTo = null;
  });

  it.each([
    ['an internal address (127.0.0.2)', () => internal.url('/cb'), () => internal],
    ['a name resolving to 127.0.0.1, on a port outside the exceptions', () => elsewhere.url('/cb', 'localhost'), () => elsewhere],
  ])('the workers refuse a stored callback URL on %s (stored before the check, or by SQL)', async (_what, url, endpoint) => {
    const other = await t.project('outbound-addresses-stored');
    await t.db.query(`UPDATE projects SET default_callback_url = $2 WHERE id = $1`, [other.id, url()]);
    const toDefault = await other.gw.send({ to: uniqueNumber(), from: other.number, body: 'to the stored default' });
    const control = await other.gw.send({ to: uniqueNumber(), from: other.number, body: 'control', status_callback: other.receiver.url });
    await other.gw.waitFor(toDefault.id, (m) => TERMINAL.has(m.status), 60000);
    // Both messages' callbacks go through the same consumer and queue: once the control's last one has
    // arrived (and a margin), the other message's would have too.
    await eventually(() => (other.receiver.about(control.id).some((c) => c.data.status === 'delivered') ? true : undefined), 60000);
    await new Promise((r) => setTimeout(r, 2000));
    expect(endpoint().hits).toEqual([]);
    expect(other.receiver.about(toDefault.id)).toEqual([]);
  });

  describe("the api refuses flows whose redirect or actionHook URL it would not fetch, naming the step's field", () => {
    it.each([
      [
        "POST /v1/flows: a redirect to loopback outside the receivers' ports",
        '/v1/flows',
        (url: string) => ({ name: 'redirect', document: { version: 1, steps: [{ verb: 'redirect', url }] } }),
        'http://127.0.0.1:9/next',
        '/document/steps/0/url',
      ],
      [
        'POST /v1/flows: an actionHook on a name resolving to 127.0.0.1, outside the exceptions',
        '/v1/flows',
        (url: string) => ({ name: 'hook', document: { version: 1, steps: [{ verb: 'gather', numDigits: 1, actionHook: url }] } }),
        `http://localhost:${RECEIVER_PORTS.last + 1}/digits`,
        '/document/steps/0/actionHook',
      ],
      [
        'POST /v1/calls: an inline flow redirecting to the metadata address',
        '/v1/calls',
        (url: string) => ({ to: uniqueNumber(), from: p.number, flow: { version: 1, steps: [{ verb: 'redirect', url }] } }),
        'http://169.254.169.254/latest/meta-data',
        '/flow/steps/0/url',
      ],
    ])('%s', async (_what, path, body, url, field) => {
      const res = await p.gw.postRaw(path, body(url));
      expect(res.status).toBe(400);
      expect((res.body as ErrorBody).error.code).toBe('validation_failed');
      expect(fieldOf(res.body)).toEqual([field]);
    });

    it('POST /v1/flows/{id}/versions: a redirect to a private address, at its step', async () => {
      const flowId = await p.gw.createFlow('versions', { version: 1, steps: [{ verb: 'redirect', url: fetched.url('/next') }] });
      const document = {
        version: 1,
        steps: [
          { verb: 'say', text: 'one moment' },
          { verb: 'redirect', url: 'http://10.0.0.5/next' },
        ],
      };
      const res = await p.gw.postRaw(`/v1/flows/${flowId}/versions`, { document });
      expect(res.status).toBe(400);
      expect(fieldOf(res.body)).toEqual(['/document/steps/1/url']);
      expect(await t.count(`SELECT count(*) AS n FROM flow_versions WHERE flow_id = $1`, [flowId])).toBe(1);
    });
  });

  it('a redirect to an internal address that a fetched document names is not fetched: the fallback runs and the timeline says why', async () => {
    const to = uniqueNumber();
    await sim.setRules([{ number: to }]);
    fetched.answer = [
      { verb: 'redirect', url: internal.url('/next'), timeout: 2, fallback: 'fb' },
      { verb: 'say', label: 'fb', text: 'fallback' },
      { verb: 'hangup' },
    ];
    const flow = { version: 1, steps: [{ verb: 'redirect', url: fetched.url('/first'), timeout: 5 }] };
    const placed = await p.gw.placeCall({ to, from: p.number, flow });
    const call: ApiCall = await p.gw.waitForCall(placed.id);
    expect(call.status).toBe('completed');
    const started = call.timeline
      .filter((e) => e.kind === 'verb_started')
      .map((e) => `${e.event}${e.step?.label ? `:${String(e.step.label)}` : ''}`);
    expect(started).toEqual(['fetch', 'fetch', 'say:fb', 'hangup']);
    const note = call.timeline.find((e) => e.kind === 'note' && e.event === 'fetch.refused');
    expect(note?.detail).toEqual({ reason: expect.stringMatching(/127\.0\.0\.2 is loopback/) as unknown });
    expect(fetched.hits.map((h) => h.path)).toEqual(['/first']);
    expect(internal.hits).toEqual([]);
  });

  describe("the project's dial allowlist", () => {
    const london = '+442071838750';
    const dialFlow = (target: string) => ({ version: 1, steps: [{ verb: 'dial', target, timeout: 5 }, { verb: 'hangup' }] });
    const allowlistPath = (projectId: string) => `/admin/projects/${projectId}/dial-allowlist`;
    const setAllowlist = async (projectId: string, body: unknown) => {
      const res = await t.api.adminRaw(secret(), 'PUT', allowlistPath(projectId), body);
      expect(res.status).toBe(200);
      return res.body;
    };

    it('is unset by default: any E.164 number, no SIP URI', async () => {
      const d = await t.project('dial-default');
      const res = await t.api.adminRaw(secret(), 'GET', allowlistPath(d.id));
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ project_id: d.id, set: false, e164_prefixes: null, sip_domains: [], pjsip_endpoints: [] });
      expect((await d.gw.postRaw('/v1/flows', { name: 'london', document: dialFlow(london) })).status).toBe(201);
      const sip = await d.gw.postRaw('/v1/flows', { name: 'sip', document: dialFlow('sip:admin@10.0.0.5') });
      expect(sip.status).toBe(400);
      expect(fieldOf(sip.body)).toEqual(['/document/steps/0/target']);
    });

    it('refuses a flow dialling outside it, takes the flow once the operator adds the prefix, and the audit log shows each change', async () => {
      const d = await t.project('dial-allowlist');
      expect(await setAllowlist(d.id, { e164_prefixes: ['+1555'] })).toEqual({
        project_id: d.id,
        set: true,
        e164_prefixes: ['+1555'],
        sip_domains: [],
        pjsip_endpoints: [],
      });

      const refused = await d.gw.postRaw('/v1/flows', { name: 'london', document: dialFlow(london) });
      expect(refused.status).toBe(400);
      expect(fieldsOf(refused.body)).toEqual([
        { field: '/document/steps/0/target', message: `${london} matches no E.164 prefix of the project's dial allowlist` },
      ]);
      const inline = await d.gw.postRaw('/v1/calls', { to: uniqueNumber(), from: d.number, flow: dialFlow(london) });
      expect(inline.status).toBe(400);
      expect(fieldOf(inline.body)).toEqual(['/flow/steps/0/target']);

      await setAllowlist(d.id, { e164_prefixes: ['+1555', '+4420'] });
      expect((await d.gw.postRaw('/v1/flows', { name: 'london', document: dialFlow(london) })).status).toBe(201);

      const audit = await t.api.adminRaw<{
        data: Array<{ actor: string; action: string; target: string; detail: Record<string, unknown> }>;
      }>(secret(), 'GET', `/admin/audit-log?project_id=${d.id}&action=dial_allowlist.set`);
      expect(audit.status).toBe(200);
      expect(audit.body.data).toEqual([
        expect.objectContaining({
          actor: 'operator',
          target: d.id,
          detail: {
            before: { e164_prefixes: ['+1555'], sip_domains: [], pjsip_endpoints: [] },
            after: { e164_prefixes: ['+1555', '+4420'], sip_domains: [], pjsip_endpoints: [] },
          },
        }),
        expect.objectContaining({
          actor: 'operator',
          target: d.id,
          detail: { before: null, after: { e164_prefixes: ['+1555'], sip_domains: [], pjsip_endpoints: [] } },
        }),
      ]);
    });

    it('refuses a malformed allowlist naming the field, and a missing body', async () => {
      const d = await t.project('dial-allowlist-bad');
      const bad = await t.api.adminRaw(secret(), 'PUT', allowlistPath(d.id), { e164_prefixes: ['44'] });
      expect(bad.status).toBe(400);
      expect(fieldOf(bad.body)).toContain('e164_prefixes');
      expect((await t.api.adminRaw(secret(), 'PUT', allowlistPath(d.id))).status).toBe(400);
      expect((await t.api.adminRaw(secret(), 'GET', allowlistPath(d.id))).body).toMatchObject({ set: false });
    });

    it('fails a dial the allowlist no longer allows when the call reaches it, with the reason in the timeline', async () => {
      const d = await t.project('dial-allowlist-changed');
      const agent = uniqueNumber();
      const flowId = await d.gw.createFlow('agent', dialFlow(agent));
      await setAllowlist(d.id, { e164_prefixes: ['+4420'] });
      const to = uniqueNumber();
      await sim.setRules([{ number: to }, { number: agent, answerAfterMs: 100, hangupAfterMs: 500 }]);

      const call = await d.gw.waitForCall((await d.gw.placeCall({ to, from: d.number, flow_id: flowId })).id);
      expect(call.status).toBe('completed');
      const refusal = call.timeline.find((e) => e.kind === 'note' && e.event === 'dial.refused');
      expect(refusal?.detail).toEqual({ target: agent, reason: `${agent} matches no E.164 prefix of the project's dial allowlist` });
      const dialed = call.timeline.filter((e) => e.kind === 'verb_finished' && e.event === 'dial').map((e) => e.detail);
      expect(dialed).toEqual([expect.objectContaining({ kind: 'dialed', status: 'failed' })]);
      expect(await sim.calls({ number: agent })).toEqual([]);
    });
  });
});
