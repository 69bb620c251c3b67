// First: tracing must start before the instrumented modules load.
import './tracing';
import { apiEnv, loadConfig } from '@gw/config';
import { launchWorkers } from '@gw/observability';
import { createApiApp } from './bootstrap';

launchWorkers(
  'api',
  () => loadConfig(apiEnv).API_WORKERS,
  async () => {
    const config = loadConfig(apiEnv);
    const app = await createApiApp(config);
    await app.listen(config.API_PORT, config.HOST);
  },
);
