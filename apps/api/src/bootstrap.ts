import { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { json } from 'express';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { ApiConfig } from '@gw/config';
import { bodyParserErrors, strictValidationPipe } from '@gw/errors';
import { createObservedApp } from '@gw/observability';
import { ApiModule } from './api.module';

/** Largest accepted request body; an SMS body is at most 1,600 characters. */
export const MAX_REQUEST_BYTES = '64kb';

/** OpenAPI 3 document built from the controllers' and DTOs' decorators. */
export function buildOpenApi(app: INestApplication): OpenAPIObject {
  const doc = new DocumentBuilder()
    .setTitle('Telecom gateway API')
    .setDescription(
      'Send SMS, read their delivery status timeline, and read usage. Errors: {"error":{"code","message","fields","correlation_id"}}.',
    )
    .setVersion('1')
    .addBearerAuth()
    .build();
  return SwaggerModule.createDocument(app, doc);
}

/**
 * Builds the api application: JSON bodies up to 64 kB, strict validation, the error filter,
 * pino logs, OpenAPI at /docs (JSON at /docs-json). `preview` builds the module graph without
 * connecting to anything (used to write openapi.json).
 */
export async function createApiApp(config: ApiConfig, opts: { preview?: boolean } = {}): Promise<NestExpressApplication> {
  const app = await createObservedApp<NestExpressApplication>(ApiModule.forRoot(config), {
    bodyParser: false,
    preview: opts.preview ?? false,
    abortOnError: false,
  });
  app.use(json({ limit: MAX_REQUEST_BYTES }), bodyParserErrors());
  app.useGlobalPipes(strictValidationPipe());
  SwaggerModule.setup('docs', app, buildOpenApi(app));
  return app;
}
