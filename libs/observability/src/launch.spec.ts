import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { get } from 'node:http';
import { AddressInfo, createServer } from 'node:net';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../../..');
const FIXTURE = join(__dirname, 'launch.fixture.ts');

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  return port;
}

function start(env: Record<string, string>): { child: ChildProcess; stderr: () => string } {
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', FIXTURE], {
    cwd: ROOT,
    env: { ...process.env, TS_NODE_PROJECT: join(ROOT, 'tsconfig.json'), ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  return { child, stderr: () => err };
}

/** The pid answering one request on a fresh connection, or undefined while nothing listens. */
function pidAt(port: number): Promise<number | undefined> {
  return new Promise((done) => {
    get({ host: '127.0.0.1', port, agent: false }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => done(Number(body)));
    }).on('error', () => done(undefined));
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function exitCode(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const [code] = (await once(child, 'exit')) as [number | null];
  return code;
}

describe('launchWorkers', () => {
  it('serves one port from two worker processes and stops them all on SIGTERM (exit 0)', async () => {
    const port = await freePort();
    const { child } = start({ WORKERS: '2', PORT: String(port) });
    const pids = new Set<number>();
    const deadline = Date.now() + 20_000;
    while (pids.size < 2 && Date.now() < deadline) {
      const pid = await pidAt(port);
      if (pid === undefined) await new Promise((r) => setTimeout(r, 100));
      else pids.add(pid);
    }
    expect(pids.size).toBe(2);
    expect(pids.has(child.pid!)).toBe(false);
    child.kill('SIGTERM');
    expect(await exitCode(child)).toBe(0);
    expect([...pids].filter(alive)).toEqual([]);
  }, 30_000);

  it('exits 1 when a worker dies on its own, taking the other worker down', async () => {
    const port = await freePort();
    const { child, stderr } = start({ WORKERS: '2', PORT: String(port), CRASH_AFTER_MS: '500' });
    expect(await exitCode(child)).toBe(1);
    expect(stderr()).toMatch(/fixture worker \d+ exited \(3\); stopping the others/);
    expect(await pidAt(port)).toBeUndefined();
  }, 30_000);
});
