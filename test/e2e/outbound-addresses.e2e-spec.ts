import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AriSimControl, TERMINAL, type ApiCall } from '@gw/stack-client';
import { E2e, env, ErrorBody, eventually, TestProject, uniqueNumber } from '../support/e2e';

/** An HTTP endpoint standing in for a project URL: records each request; answers `redirectTo` with a 307 when set, else 200. */
class Endpoint {
  readonly hits: Array<{ path: string; headers: IncomingHttpHeaders }> = [];
  redirectTo: string | null = null;
  private server!: Server;

  constructor(private readonly host: string) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        this.hits.push({ path: req.url ?? '', headers: req.headers });
        if (this.redirectTo) res.writeHead(307, { location: this.redirectTo }).end();
        else res.writeHead(200, { 'content-type': 'application/json' }).end('[{"verb":"hangup"}]');
      });
    });
    await new Promise<void>((r) => this.server.listen(0, this.host, r));
    return this;
  }

  url(path: string): string {
    return `http://${this.host}:${(this.server.address() as AddressInfo).port}${path}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }
}

/**
 * Callbacks and flow fetches reach public addresses only. The local stack's apps run with
 * OUTBOUND_ALLOWED_CIDRS=127.0.0.1/32 (scripts/apps.sh), where the tests' receivers listen;
 * 127.0.0.2 is loopback too but not an exception, so it stands for an internal address here.
 */
describe('outbound requests to project URLs stay off internal addresses', () => {
  const t = new E2e();
  const sim = new AriSimControl(env('ARI_URL'));
  let p: TestProject;
  let internal: Endpoint;
  let redirecting: Endpoint;

  beforeAll(async () => {
    await t.start();
    p = await t.project('outbound-addresses');
    internal = await new Endpoint('127.0.0.2').start();
    redirecting = await new Endpoint('127.0.0.1').start();
  });
  afterAll(async () => {
    await internal.stop();
    await redirecting.stop();
    await t.stop();
  });

  const fieldOf = (body: unknown) => (body as ErrorBody).error.fields?.map((f) => f.field);

  describe('the api refuses callback URLs on internal IP addresses, naming the field', () => {
    it.each([
      ['the cloud metadata address', 'http://169.254.169.254/latest/meta-data/'],
      ['a private address', 'https://10.0.0.7:8443/hooks'],
      ['loopback outside the exceptions', 'http://127.0.0.2:8080/cb'],
      ['loopback written as one number', 'http://2130706434/cb'],
      ['IPv6 loopback', 'http://[::1]:8080/cb'],
      ['an IPv4-mapped metadata address', 'http://[::ffff:169.254.169.254]/'],
    ])('POST /v1/messages with status_callback on %s', async (_what, url) => {
      const res = await p.gw.sendRaw({ to: uniqueNumber(), from: p.number, body: 'hi', status_callback: url });
      expect(res.status).toBe(400);
      expect((res.body as ErrorBody).error.code).toBe('validation_failed');
      expect(fieldOf(res.body)).toEqual(['status_callback']);
    });

    it('POST /v1/calls with status_callback on a private address', async () => {
      const flow = { version: 1, steps: [{ verb: 'hangup' }] };
      const res = await p.gw.postRaw('/v1/calls', { to: uniqueNumber(), from: p.number, flow, status_callback: 'http://192.168.1.10/cb' });
      expect(res.status).toBe(400);
      expect(fieldOf(res.body)).toEqual(['status_callback']);
    });

    it('POST /admin/projects with default_callback_url on the metadata address, writing nothing', async () => {
      const name = `ssrf-${Date.now()}`;
      const res = await t.api.adminRaw(env('OPERATOR_SECRET'), 'POST', '/admin/projects', {
        name,
        default_callback_url: 'http://169.254.169.254/latest/meta-data/',
      });
      expect(res.status).toBe(400);
      expect(fieldOf(res.body)).toEqual(['default_callback_url']);
      expect(await t.count(`SELECT count(*) AS n FROM projects WHERE name = $1`, [name])).toBe(0);
    });

    it('takes a URL on an exception, and a host name, whose address the workers check when they connect', async () => {
      const res = await p.gw.sendRaw({ to: uniqueNumber(), from: p.number, body: 'hi', status_callback: p.receiver.url });
      expect(res.status).toBe(201);
      // `localhost` resolves to 127.0.0.1 (and maybe ::1, which stays refused): the callbacks arrive.
      const byName = p.receiver.url.replace('127.0.0.1', 'localhost');
      const named = await p.gw.send({ to: uniqueNumber(), from: p.number, body: 'hi', status_callback: byName });
      await eventually(() => (p.receiver.about(named.id).length > 0 ? true : undefined), 60000, 'a callback sent by host name');
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

  it('the workers refuse a stored callback URL on an internal address (stored before the check, or by SQL)', async () => {
    const other = await t.project('outbound-addresses-stored');
    await t.db.query(`UPDATE projects SET default_callback_url = $2 WHERE id = $1`, [other.id, internal.url('/cb')]);
    const toDefault = await other.gw.send({ to: uniqueNumber(), from: other.number, body: 'to the stored default' });
    const control = await other.gw.send({ to: uniqueNumber(), from: other.number, body: 'control', status_callback: other.receiver.url });
    await other.gw.waitFor(toDefault.id, (m) => TERMINAL.has(m.status), 60000);
    // Both messages' callbacks go through the same consumer and queue: once the control's last one has
    // arrived (and a margin), the other message's would have too.
    await eventually(() => (other.receiver.about(control.id).some((c) => c.data.status === 'delivered') ? true : undefined), 60000);
    await new Promise((r) => setTimeout(r, 2000));
    expect(internal.hits).toEqual([]);
    expect(other.receiver.about(toDefault.id)).toEqual([]);
  });

  it("a flow's redirect to an internal address is not fetched: the fallback runs and the timeline says why", async () => {
    const to = uniqueNumber();
    await sim.setRules([{ number: to }]);
    const flow = {
      version: 1,
      steps: [
        { verb: 'redirect', url: internal.url('/next'), timeout: 2, fallback: 'fb' },
        { verb: 'say', label: 'fb', text: 'fallback' },
        { verb: 'hangup' },
      ],
    };
    const placed = await p.gw.placeCall({ to, from: p.number, flow });
    const call: ApiCall = await p.gw.waitForCall(placed.id);
    expect(call.status).toBe('completed');
    const started = call.timeline
      .filter((e) => e.kind === 'verb_started')
      .map((e) => `${e.event}${e.step?.label ? `:${String(e.step.label)}` : ''}`);
    expect(started).toEqual(['fetch', 'say:fb', 'hangup']);
    const note = call.timeline.find((e) => e.kind === 'note' && e.event === 'fetch.refused');
    expect(note?.detail).toEqual({ reason: expect.stringMatching(/127\.0\.0\.2 is loopback/) as unknown });
    expect(internal.hits).toEqual([]);
  });
});
