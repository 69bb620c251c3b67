// First: tracing must start before the instrumented modules load.
import './tracing';
import { workersEnv, loadConfig } from '@gw/config';
import { createObservedApp, launch } from '@gw/observability';
import { WorkersModule } from './workers.module';

launch('workers', async () => {
  const config = loadConfig(workersEnv);
  const app = await createObservedApp(WorkersModule.forRoot(config), { httpMetrics: config.HTTP_METRICS === 'on' });
  await app.listen(config.WORKERS_PORT, config.HOST);
});
