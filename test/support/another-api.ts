import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { GatewayClient, LOCAL_OUTBOUND_ALLOWED_CIDRS } from '@gw/stack-client';

/** A port nothing listens on now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

/**
 * Starts another api process (the built app, this environment with `env` over it: the same
 * Postgres and Redis unless changed) on a free port; resolves with it and its client once ready.
 * Its OUTBOUND_ALLOWED_CIDRS is the local stack's (scripts/apps.sh), unless this environment sets one.
 */
export async function anotherApi(env: Record<string, string> = {}): Promise<{ api: ChildProcess; gw: GatewayClient }> {
  const port = await freePort();
  const child = spawn(process.execPath, [resolve(__dirname, '..', '..', 'dist/apps/api/src/main.js')], {
    env: {
      ...process.env,
      OUTBOUND_ALLOWED_CIDRS: process.env.OUTBOUND_ALLOWED_CIDRS || LOCAL_OUTBOUND_ALLOWED_CIDRS,
      API_PORT: String(port),
      API_WORKERS: '1',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const deadline = Date.now() + 30000;
  for (;;) {
    const ready = await fetch(`http://127.0.0.1:${port}/health/ready`).then(
      async (r) => {
        await r.arrayBuffer();
        return r.ok;
      },
      () => false,
    );
    if (ready) return { api: child, gw: new GatewayClient(`http://127.0.0.1:${port}`) };
    if (child.exitCode !== null || Date.now() > deadline) throw new Error('another api did not become ready');
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Stops a process anotherApi started. */
export async function stop(api: ChildProcess | undefined): Promise<void> {
  if (!api || api.exitCode !== null) return;
  api.kill('SIGTERM');
  await once(api, 'exit');
}
