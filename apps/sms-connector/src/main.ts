// First: tracing must start before the instrumented modules load.
import './tracing';
import { connectorEnv, loadConfig } from '@gw/config';
import { createObservedApp, launch } from '@gw/observability';
import { ConnectorModule } from './connector.module';

launch('sms-connector', async () => {
  const config = loadConfig(connectorEnv);
  const app = await createObservedApp(ConnectorModule.forRoot(config), { httpMetrics: config.HTTP_METRICS === 'on' });
  await app.listen(config.SMS_CONNECTOR_PORT, config.HOST);
});
