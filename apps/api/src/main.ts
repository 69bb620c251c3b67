import { apiEnv, loadConfig } from '@gw/config';
import { launch } from '@gw/observability';
import { createApiApp } from './bootstrap';

launch('api', async () => {
  const config = loadConfig(apiEnv);
  const app = await createApiApp(config);
  await app.listen(config.API_PORT, config.HOST);
});
