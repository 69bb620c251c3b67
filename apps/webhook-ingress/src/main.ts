import { ingressEnv, loadConfig } from '@gw/config';
import { createIngressApp } from './bootstrap';

async function main(): Promise<void> {
  const config = loadConfig(ingressEnv);
  const app = await createIngressApp(config);
  await app.listen(config.WEBHOOK_INGRESS_PORT, config.HOST);
}

main().catch((err: unknown) => {
  process.stderr.write(`webhook-ingress failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
