import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import type { IngressConfig } from '@gw/config';
import { correlationIdOf, createObservedApp, fastifyLogging } from '@gw/observability';
import { IpAllowlist } from '@gw/security';
import { IngressModule } from './ingress.module';
import { carrierAuthHook } from './carriers/carrier-auth.hook';
import { CarrierCallbackErrorFilter } from './carriers/carrier-callback-error.filter';

/** Largest accepted callback body (bytes); a carrier DLR or MO is well under 2 kB. */
export const MAX_CALLBACK_BYTES = 32 * 1024;

/**
 * Builds the webhook-ingress app on Fastify. Carrier callbacks are verified (allowlist + token, see
 * carrierAuthHook) in an `onRequest` hook, so a forged callback is refused before its body is read;
 * verified bodies are form-urlencoded (Nest's Fastify body parser) up to 32 kB. The correlation id
 * is the request id (echoed in `x-correlation-id`), one pino line per request (fastifyLogging).
 */
export async function createIngressApp(config: IngressConfig): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({ bodyLimit: MAX_CALLBACK_BYTES, genReqId: correlationIdOf });
  const fastify = adapter.getInstance() as unknown as FastifyInstance;
  fastify.addHook(
    'onRequest',
    carrierAuthHook({
      allowlist: new IpAllowlist(config.CARRIER_ALLOWED_CIDRS),
      dlrSecret: config.DLR_TOKEN_SECRET,
      moToken: config.MO_TOKEN,
    }),
  );
  const logging = fastifyLogging(fastify, 'webhook-ingress', config.LOG_LEVEL);
  const app = await createObservedApp<NestFastifyApplication>(
    IngressModule.forRoot(config, logging),
    { httpMetrics: config.HTTP_METRICS === 'on' },
    adapter,
  );
  // Registered after createObservedApp's HttpErrorFilter, so Nest consults it first.
  app.useGlobalFilters(new CarrierCallbackErrorFilter());
  return app;
}
