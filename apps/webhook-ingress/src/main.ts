// First: tracing must start before the instrumented modules load.
import './tracing';
import { ingressEnv, loadConfig } from '@gw/config';
import { launch } from '@gw/observability';
import { createIngressApp } from './bootstrap';

launch('webhook-ingress', async () => {
  const config = loadConfig(ingressEnv);
  const app = await createIngressApp(config);
  await app.listen(config.WEBHOOK_INGRESS_PORT, config.HOST);
});
