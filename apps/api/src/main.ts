import { apiEnv, loadConfig } from '@gw/config';
import { createApiApp } from './bootstrap';

async function main(): Promise<void> {
  const config = loadConfig(apiEnv);
  const app = await createApiApp(config);
  await app.listen(config.API_PORT, config.HOST);
}

main().catch((err: unknown) => {
  process.stderr.write(`api failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
