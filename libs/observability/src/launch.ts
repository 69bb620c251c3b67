import { DynamicModule, INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestApplicationOptions } from '@nestjs/common';
import { Logger } from 'nestjs-pino';
import { HttpErrorFilter } from '@gw/errors';

/**
 * Creates a Nest app whose logs go through pino (the module must import `loggerModule`), whose
 * errors go through HttpErrorFilter, and which closes its resources on SIGTERM.
 */
export async function createObservedApp<T extends INestApplication>(
  module: DynamicModule,
  options: NestApplicationOptions = {},
): Promise<T> {
  const app = await NestFactory.create<T>(module, { bufferLogs: true, ...options });
  if (!options.preview) app.useLogger(app.get(Logger));
  app.useGlobalFilters(new HttpErrorFilter());
  app.enableShutdownHooks();
  return app;
}

/** Runs an app's `main`, exiting 1 with one line naming the app and the reason when it fails to start. */
export function launch(name: string, main: () => Promise<void>): void {
  main().catch((err: unknown) => {
    process.stderr.write(`${name} failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
