import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { connectorEnv, loadConfig } from '@gw/config';
import { HttpErrorFilter } from '@gw/errors';
import { ConnectorModule } from './connector.module';

async function main(): Promise<void> {
  const config = loadConfig(connectorEnv);
  const app = await NestFactory.create(ConnectorModule.forRoot(config), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.useGlobalFilters(new HttpErrorFilter());
  app.enableShutdownHooks();
  await app.listen(config.SMS_CONNECTOR_PORT, config.HOST);
}

main().catch((err: unknown) => {
  process.stderr.write(`sms-connector failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
