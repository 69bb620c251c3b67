import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { loadConfig, workersEnv } from '@gw/config';
import { HttpErrorFilter } from '@gw/errors';
import { WorkersModule } from './workers.module';

async function main(): Promise<void> {
  const config = loadConfig(workersEnv);
  const app = await NestFactory.create(WorkersModule.forRoot(config), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.useGlobalFilters(new HttpErrorFilter());
  app.enableShutdownHooks();
  await app.listen(config.WORKERS_PORT, config.HOST);
}

main().catch((err: unknown) => {
  process.stderr.write(`workers failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
