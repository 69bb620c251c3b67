import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import type { IngressConfig } from '@gw/config';
import { HttpErrorFilter } from '@gw/errors';
import { IngressModule } from './ingress.module';
import { JasminCallbackErrorFilter } from './jasmin/jasmin-callback-error.filter';

/**
 * Builds the webhook-ingress app. Body parsing is off globally: each callback route parses its
 * body only after its verification middleware passed.
 */
export async function createIngressApp(config: IngressConfig): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(IngressModule.forRoot(config), { bufferLogs: true, bodyParser: false });
  app.useLogger(app.get(Logger));
  app.useGlobalFilters(new HttpErrorFilter(), new JasminCallbackErrorFilter());
  app.enableShutdownHooks();
  return app;
}
