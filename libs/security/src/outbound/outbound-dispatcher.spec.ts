import { createServer, type Server } from 'node:http';
import type { LookupAddress } from 'node:dns';
import type { AddressInfo } from 'node:net';
import { request, type Agent } from 'undici';
import { type HostResolver, OutboundAddressPolicy, OutboundAddressRefusedError, outboundDispatcher } from '@gw/security';

/** A receiver on `host:port`; `/redirect` answers 302 to `/after-redirect` on 127.0.0.2, `/big` 10 kB, anything else `ok`. */
async function receiver(host: string, port = 0): Promise<{ server: Server; port: number; hits: string[] }> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(req.url ?? '');
    const own = (server.address() as AddressInfo).port;
    if (req.url === '/redirect') res.writeHead(302, { location: `http://127.0.0.2:${own}/after-redirect` }).end();
    else if (req.url === '/big') res.end('x'.repeat(10_000));
    else res.end('ok');
  });
  await new Promise<void>((r) => server.listen(port, host, r));
  return { server, port: (server.address() as AddressInfo).port, hits };
}

/** Resolves the names of `table` to their addresses, as dns.lookup with `all: true` would. */
const fakeDns =
  (table: Record<string, string[]>): HostResolver =>
  async (hostname) => {
    const addresses = table[hostname];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return addresses.map((address): LookupAddress => ({ address, family: address.includes(':') ? 6 : 4 }));
  };

describe('outboundDispatcher', () => {
  let loopback: Awaited<ReturnType<typeof receiver>>;
  let refusedLoopback: Awaited<ReturnType<typeof receiver>>;
  const agents: Agent[] = [];
  const dispatcher = (allowed: string[], table: Record<string, string[]> = {}, maxResponseBytes?: number) => {
    const agent = outboundDispatcher(new OutboundAddressPolicy(allowed), { resolve: fakeDns(table), maxResponseBytes });
    agents.push(agent);
    return agent;
  };
  const get = async (url: string, agent: Agent) => {
    const res = await request(url, { dispatcher: agent, signal: AbortSignal.timeout(5000) });
    return { status: res.statusCode, body: await res.body.text() };
  };

  beforeAll(async () => {
    // 127.0.0.2 is loopback too (Linux routes 127/8 to lo) but outside the 127.0.0.1/32 exception below;
    // on the same port, so a connection to the wrong address would land there instead of failing.
    loopback = await receiver('127.0.0.1');
    refusedLoopback = await receiver('127.0.0.2', loopback.port);
  });
  beforeEach(() => {
    loopback.hits.length = 0;
    refusedLoopback.hits.length = 0;
  });
  afterAll(async () => {
    await Promise.all(agents.map((a) => a.close()));
    for (const r of [loopback, refusedLoopback]) {
      r.server.closeAllConnections();
      await new Promise((done) => r.server.close(done));
    }
  });

  it('refuses a URL whose host is a private IP address before connecting', async () => {
    const err = await get(`http://127.0.0.1:${loopback.port}/cb`, dispatcher([])).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OutboundAddressRefusedError);
    expect(err).toMatchObject({ code: 'ERR_OUTBOUND_ADDRESS_REFUSED', address: '127.0.0.1', range: 'loopback' });
    expect((err as Error).message).not.toContain('/cb');
    expect(loopback.hits).toEqual([]);
  });

  it('refuses an IPv6 literal host (brackets in the URL)', async () => {
    const err = await get('http://[::1]:9/cb', dispatcher([])).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'OutboundAddressRefusedError', address: '::1', range: 'loopback' });
  });

  it('refuses a host name that resolves only to refused addresses, at connect time', async () => {
    const agent = dispatcher([], { 'hooks.example.test': ['127.0.0.1', '169.254.169.254'] });
    const err = await get(`http://hooks.example.test:${loopback.port}/cb`, agent).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'OutboundAddressRefusedError', host: 'hooks.example.test', address: '127.0.0.1' });
    expect(loopback.hits).toEqual([]);
  });

  it("connects to an operator's exception", async () => {
    expect(await get(`http://127.0.0.1:${loopback.port}/cb`, dispatcher(['127.0.0.1/32']))).toEqual({ status: 200, body: 'ok' });
    expect(loopback.hits).toEqual(['/cb']);
  });

  it('connects to an exception only on its ports, for an IP address and a host name alike', async () => {
    const port = loopback.port;
    const agent = dispatcher([`127.0.0.1/32:${port}-${port}`], { 'hooks.example.test': ['127.0.0.1'] });
    expect(await get(`http://127.0.0.1:${port}/cb`, agent)).toEqual({ status: 200, body: 'ok' });
    expect(await get(`http://hooks.example.test:${port}/cb`, agent)).toEqual({ status: 200, body: 'ok' });
    expect(loopback.hits).toEqual(['/cb', '/cb']);

    const other = dispatcher([`127.0.0.1/32:${port + 1}`], { 'hooks.example.test': ['127.0.0.1'] });
    for (const url of [`http://127.0.0.1:${port}/cb`, `http://hooks.example.test:${port}/cb`]) {
      const err = await get(url, other).catch((e: unknown) => e);
      expect(err).toMatchObject({ name: 'OutboundAddressRefusedError', port, address: '127.0.0.1', range: 'loopback' });
    }
    expect(loopback.hits).toEqual(['/cb', '/cb']);
  });

  it("checks the scheme's default port when the URL names none", async () => {
    const agent = dispatcher(['127.0.0.1/32:80'], { 'hooks.example.test': ['127.0.0.1'] });
    const err = await get(`https://hooks.example.test/cb`, agent).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'OutboundAddressRefusedError', port: 443, range: 'loopback' });
  });

  it('connects to the address it checked (no second resolution), and only to accepted ones', async () => {
    // The name exists only in the fake resolver: a second, real lookup would fail with ENOTFOUND.
    const agent = dispatcher(['127.0.0.1/32'], { 'mixed.example.test': ['127.0.0.2', '127.0.0.1'] });
    expect(await get(`http://mixed.example.test:${loopback.port}/cb`, agent)).toEqual({ status: 200, body: 'ok' });
    expect(loopback.hits).toEqual(['/cb']);
    expect(refusedLoopback.hits).toEqual([]);
  });

  it('passes resolution errors through', async () => {
    const err = await get('http://nowhere.example.test/cb', dispatcher([])).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'ENOTFOUND' });
  });

  it('does not follow redirects', async () => {
    const agent = dispatcher(['127.0.0.1/32', '127.0.0.2/32']);
    expect((await get(`http://127.0.0.1:${loopback.port}/redirect`, agent)).status).toBe(302);
    expect(refusedLoopback.hits).toEqual([]);
  });

  it('fails a response body over maxResponseBytes', async () => {
    const agent = dispatcher(['127.0.0.1/32'], {}, 1024);
    const err = await get(`http://127.0.0.1:${loopback.port}/big`, agent).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'UND_ERR_RES_EXCEEDED_MAX_SIZE' });
    expect((await get(`http://127.0.0.1:${loopback.port}/small`, agent)).body).toBe('ok');
  });
});
