import { INestApplication } from '@nestjs/common';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { FastifyInstance } from 'fastify';
import type { ApiConfig } from '@gw/config';
import { DomainError, ErrorCode, strictValidationPipe } from '@gw/errors';
import { correlationIdOf, createObservedApp, fastifyLogging } from '@gw/observability';
import { ApiModule } from './api.module';
import { jsonSchemaValidation } from './common/json-schema';
import { answerMethodNotAllowed } from './common/method-not-allowed';
import { PathParamsPipe } from './common/path-params';
import { rejectNul } from './common/reject-nul';
import { withCreateLinks } from './contract/links';
import { withApiContract } from './contract/responses';
import { operationIdOf, routeHandlersOf } from './contract/routes';
import { withValidationRules } from './contract/validation-docs';
import { withRateLimitHeaders } from './rate-limit/openapi';

/** Largest accepted request body (bytes); an SMS body is at most 1,600 characters. */
export const MAX_REQUEST_BYTES = 64 * 1024;

/** Answer to a body that is not JSON (or carries a `__proto__` / `constructor.prototype` key). */
function malformedJson(): DomainError {
  return new DomainError(ErrorCode.MalformedJson, 'request body is not valid JSON', [{ field: 'body', message: 'malformed JSON' }]);
}

/**
 * OpenAPI 3 document built from the controllers' and DTOs' decorators, the DTOs' validation rules
 * (withValidationRules) and what each route is (withApiContract: security, error answers,
 * response fields), with links from creates to their resources (withCreateLinks).
 */
export function buildOpenApi(app: INestApplication): OpenAPIObject {
  const handlers = routeHandlersOf(app);
  const config = new DocumentBuilder()
    .setTitle('Telecom gateway API')
    .setDescription(
      'Send SMS, read their delivery status timeline, and read usage. Errors: {"error":{"code","message","fields","correlation_id"}}. ' +
        'No string (path, query or body) may contain U+0000: a 400 naming the field.',
    )
    .setVersion('1')
    .addBearerAuth({
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'API key (gw_live_...) or JWT',
      description:
        "A project's API key (gw_live_...) or, where the operator set JWT_JWKS_URLS, an internal service's JWT naming the project",
    })
    .addApiKey(
      { type: 'apiKey', in: 'header', name: 'X-Operator-Secret', description: 'The operator secret (OPERATOR_SECRET)' },
      'operator',
    )
    .build();
  const doc = SwaggerModule.createDocument(app, config, { operationIdFactory: operationIdOf });
  return withRateLimitHeaders(withCreateLinks(withApiContract(withValidationRules(doc, handlers), handlers)));
}

/**
 * Builds the api application on Fastify: JSON bodies up to 64 kB (an empty body is no body, so a
 * bare POST with a JSON content type is accepted), no NUL characters in parameters or bodies (see
 * rejectNul), strict validation (class-validator DTOs, or a route's JSON Schema: see
 * jsonSchemaValidation; path parameters by name: see PathParamsPipe), 405 with `Allow` for a
 * method a path does not have (answerMethodNotAllowed), the correlation id as the request id (echoed in `x-correlation-id`), pino
 * logs (one line per request, see fastifyLogging), OpenAPI at /docs (JSON at /docs-json).
 * `preview` builds the module graph without connecting to anything or serving /docs (used to
 * write openapi.json).
 */
export async function createApiApp(config: ApiConfig, opts: { preview?: boolean } = {}): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({ bodyLimit: MAX_REQUEST_BYTES, genReqId: correlationIdOf, ...jsonSchemaValidation });
  const fastify = adapter.getInstance() as unknown as FastifyInstance;
  rejectNul(fastify);
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    const text = body.toString();
    if (text === '') done(null, undefined);
    else void parseJson(req, text, (err, value) => done(err ? malformedJson() : null, value));
  });
  const logging = fastifyLogging(fastify, 'api', config.LOG_LEVEL);
  // After the logging hooks, so that a 405 carries the correlation id too.
  answerMethodNotAllowed(fastify);
  const app = await createObservedApp<NestFastifyApplication>(
    ApiModule.forRoot(config, logging),
    { bodyParser: false, preview: opts.preview ?? false, abortOnError: false, httpMetrics: config.HTTP_METRICS === 'on' },
    adapter,
  );
  app.useGlobalPipes(new PathParamsPipe(), strictValidationPipe());
  if (!opts.preview) SwaggerModule.setup('docs', app, buildOpenApi(app));
  return app;
}
