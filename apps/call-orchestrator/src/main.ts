// First: tracing must start before the instrumented modules load.
import './tracing';
import { loadConfig, orchestratorEnv } from '@gw/config';
import { createObservedApp, launch } from '@gw/observability';
import { OrchestratorModule } from './orchestrator.module';

launch('call-orchestrator', async () => {
  const config = loadConfig(orchestratorEnv);
  const app = await createObservedApp(OrchestratorModule.forRoot(config), { httpMetrics: config.HTTP_METRICS === 'on' });
  await app.listen(config.ORCHESTRATOR_PORT, config.HOST);
});
