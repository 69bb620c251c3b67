import Fastify from 'fastify';
import { DomainError, ErrorCode } from '@gw/errors';
import { correlationIdOf, fastifyLogging } from '@gw/observability';
import { apiKeyMatches, bearerToken, parseApiKey } from '@gw/security';
import { analyzeText } from '@gw/sms-text';
import { jsonSchemaValidation } from '../apps/api/src/common/json-schema';
import { rejectNul } from '../apps/api/src/common/reject-nul';
import { CreateMessageBody, CreateMessageRequest } from '../apps/api/src/messages/dto/create-message.dto';
import { newOutboundMessage } from '../apps/api/src/messages/accept-statement';
import { toMessageDto } from '../apps/api/src/messages/message.mapper';
import { launchFloor } from './floor-workers';

/**
 * Second baseline for benchmark (a): the api's hot path without Nest. `POST /` runs on Fastify with
 * the api's request-schema validation (CreateMessageBody, its formats and error shape), its hooks
 * (NUL rejection, correlation id, request log at LOG_LEVEL warn), the API-key check (format and
 * SHA-256 compare against FLOOR_KEY_HASH, as ApiKeyGuard does on a cached key), GSM 03.38 segment
 * counting and the full response DTO, and the same group-committed write. Left out: Nest (router,
 * guard, pipes, parameter decorators, exception filter), the key lookup in Postgres, the
 * Idempotency-Key path (the benchmark sends none), the api's own JSON parser (Fastify's is used) and
 * its 64 kB body limit.
 * So the gap between this and the api is what Nest costs, and the gap between this and
 * bench/http-floor.ts is what Fastify and the api's own checks cost. `GET /` answers 200 (readiness);
 * processes, port and project: see launchFloor; FLOOR_KEY_HASH is hashApiKey of the project's key.
 */
launchFloor('fastify-floor', async (writer, port, projectId) => {
  const keyHash = process.env.FLOOR_KEY_HASH!;
  const fastify = Fastify({ genReqId: correlationIdOf, ...jsonSchemaValidation });
  rejectNul(fastify);
  fastifyLogging(fastify, 'fastify-floor', 'warn');
  fastify.get('/', () => 'ok');
  fastify.post<{ Body: CreateMessageRequest }>('/', { schema: { body: CreateMessageBody } }, async (req, reply) => {
    const key = bearerToken(req.headers.authorization);
    if (!key || !parseApiKey(key) || !apiKeyMatches(key, keyHash)) throw new DomainError(ErrorCode.Unauthenticated, 'invalid API key');
    const { to, from, body } = req.body;
    const text = analyzeText(body);
    const message = newOutboundMessage({ projectId, to, from, body, encoding: text.encoding, segments: text.segments });
    await writer.write({ message, correlationId: req.id });
    return reply.code(201).send(toMessageDto(message));
  });
  await fastify.listen({ port, host: '127.0.0.1' });
});
