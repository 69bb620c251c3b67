import type { NestExpressApplication } from '@nestjs/platform-express';
import type { IngressConfig } from '@gw/config';
import { createObservedApp } from '@gw/observability';
import { IngressModule } from './ingress.module';
import { JasminCallbackErrorFilter } from './jasmin/jasmin-callback-error.filter';

/**
 * Builds the webhook-ingress app. Body parsing is off globally: each callback route parses its
 * body only after its verification middleware passed.
 */
export async function createIngressApp(config: IngressConfig): Promise<NestExpressApplication> {
  const app = await createObservedApp<NestExpressApplication>(IngressModule.forRoot(config), { bodyParser: false });
  // Registered after createObservedApp's HttpErrorFilter, so Nest consults it first.
  app.useGlobalFilters(new JasminCallbackErrorFilter());
  return app;
}
