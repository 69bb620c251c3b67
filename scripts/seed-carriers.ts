/**
 * Registers the local stack's carriers in the connector registry, idempotently: `jasmin-local`
 * (Jasmin's HTTP API), `kannel-local` (Kannel's sendsms, when the stack runs Kannel) and
 * `smpp-local` (a direct SMPP bind to the SMSC simulator, when the simulator has its account),
 * each created once by name and its settings refreshed on every run; and, when no global route
 * for every destination exists, one that sends everything through `jasmin-local`. Secrets are
 * references to the stack's environment (`env:NAME`), never copied. Then announces the change on
 * Redis so running connector processes reload. Operators of real deployments use the operator API
 * (`/admin/connectors`, `/admin/routes`) instead.
 *   node dist/scripts/seed-carriers.js   (with .state/stack.env loaded)
 */
import IORedis from 'ioredis';
import { createDataSource } from '@gw/database';
import { ConnectorRepository, publishRegistryChange, RouteRepository } from '@gw/routing';

/** A connector of the local stack, present when `when` names set variables. */
interface LocalConnector {
  name: string;
  kind: string;
  when: string[];
  settings: (env: NodeJS.ProcessEnv) => Record<string, unknown>;
}

const LOCAL_CONNECTORS: LocalConnector[] = [
  {
    name: 'jasmin-local',
    kind: 'jasmin',
    when: ['JASMIN_HTTP_URL', 'JASMIN_USERNAME'],
    settings: (env) => ({ url: env.JASMIN_HTTP_URL, username: env.JASMIN_USERNAME, password_ref: 'env:JASMIN_PASSWORD' }),
  },
  {
    name: 'kannel-local',
    kind: 'kannel',
    when: ['KANNEL_SENDSMS_PORT', 'KANNEL_SENDSMS_USERNAME'],
    settings: (env) => ({
      url: `http://127.0.0.1:${env.KANNEL_SENDSMS_PORT}`,
      username: env.KANNEL_SENDSMS_USERNAME,
      password_ref: 'env:KANNEL_SENDSMS_PASSWORD',
    }),
  },
  {
    name: 'smpp-local',
    kind: 'smpp',
    when: ['SMSC_SMPP_PORT', 'SMSC_DIRECT_SYSTEM_ID'],
    settings: (env) => ({
      host: env.SMSC_HOST || '127.0.0.1',
      port: Number(env.SMSC_SMPP_PORT),
      system_id: env.SMSC_DIRECT_SYSTEM_ID,
      password_ref: 'env:SMSC_DIRECT_PASSWORD',
    }),
  },
];

async function main(env: NodeJS.ProcessEnv): Promise<void> {
  if (!env.DATABASE_URL || !env.REDIS_URL) throw new Error('DATABASE_URL and REDIS_URL must be set (load .state/stack.env)');
  const ds = await createDataSource({ url: env.DATABASE_URL, applicationName: 'seed-carriers' }).initialize();
  const redis = new IORedis(env.REDIS_URL, { maxRetriesPerRequest: 1, connectTimeout: 5000, lazyConnect: true });
  try {
    const seeded: string[] = [];
    let jasminId: string | undefined;
    await ds.transaction(async (tx) => {
      const connectors = new ConnectorRepository(tx);
      for (const c of LOCAL_CONNECTORS) {
        if (!c.when.every((name) => env[name])) continue;
        const existing = await connectors.getByName(c.name);
        const row = existing
          ? await connectors.update(existing.id, { settings: c.settings(env) }, tx)
          : await connectors.create({ name: c.name, kind: c.kind, settings: c.settings(env) }, tx);
        if (c.name === 'jasmin-local') jasminId = row?.id;
        seeded.push(c.name);
      }
      const routes = new RouteRepository(tx);
      const everything = (await routes.listEnabled()).some((r) => r.projectId === null && r.prefix === '');
      if (!everything && jasminId) await routes.create({ projectId: null, prefix: '', price: null, connectorIds: [jasminId] }, tx);
    });
    await redis.connect();
    await publishRegistryChange(redis);
    process.stdout.write(JSON.stringify({ msg: 'carriers registered', connectors: seeded }) + '\n');
  } finally {
    redis.disconnect();
    await ds.destroy();
  }
}

main(process.env).catch((err: unknown) => {
  process.stderr.write(`seed-carriers failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
