import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { get } from 'node:http';
import { AddressInfo, createServer } from 'node:net';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../../../..');
const FIXTURE = join(__dirname, 'cluster-metrics.fixture.ts');

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  return port;
}

/** One GET on a fresh connection (so the cluster's round robin spreads them); undefined while nothing listens. */
function fetchText(port: number, path: string): Promise<{ status: number; body: string } | undefined> {
  return new Promise((done) => {
    get({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => done({ status: res.statusCode ?? 0, body }));
    }).on('error', () => done(undefined));
  });
}

function sample(text: string, name: string): number {
  const m = new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text);
  return m ? Number(m[1]) : NaN;
}

describe('metrics of a clustered app (launchWorkers, 2 workers)', () => {
  let child: ChildProcess;
  afterEach(async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });

  it('answers every scrape, whichever worker takes it, with the sum over both workers', async () => {
    const port = await freePort();
    child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', FIXTURE], {
      cwd: ROOT,
      env: { ...process.env, TS_NODE_PROJECT: join(ROOT, 'tsconfig.json'), WORKERS: '2', PORT: String(port) },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    // Hit until both workers counted some: each worker's own counter then holds only part of the total.
    const perWorker = new Map<number, number>();
    let hits = 0;
    const deadline = Date.now() + 20_000;
    while ((perWorker.size < 2 || hits < 6) && Date.now() < deadline) {
      const res = await fetchText(port, '/hit');
      if (!res) {
        await new Promise((r) => setTimeout(r, 100));
        continue;
      }
      hits++;
      perWorker.set(Number(res.body), (perWorker.get(Number(res.body)) ?? 0) + 1);
    }
    expect(perWorker.size).toBe(2);
    // Every scrape is complete: the counter summed over both workers, two processes' CPU time.
    for (let i = 0; i < 6; i++) {
      const res = await fetchText(port, '/metrics');
      expect(res?.status).toBe(200);
      expect(sample(res!.body, 'fixture_hits_total')).toBe(hits);
      expect(res!.body).toMatch(/^process_cpu_seconds_total \S+$/m);
    }
  }, 40_000);
});
