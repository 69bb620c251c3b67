import { ApiTooManyRequestsResponse } from '@nestjs/swagger';
import type { HeaderObject, OpenAPIObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

/** The response fields of a rate-limited route, as OpenAPI header objects (`#/components/headers/<name>`). */
const HEADERS: Record<string, HeaderObject> = {
  'RateLimit-Policy': {
    description:
      'The tighter of the two limits the request counted against, `"<class>/key|project";q=<requests>;w=<window seconds>` ' +
      '(draft-ietf-httpapi-ratelimit-headers-09)',
    schema: { type: 'string', example: '"messages:send/project";q=100;w=1' },
  },
  RateLimit: {
    description:
      'That limit now: `"<name>";r=<requests left>;t=<seconds until the window resets>`; absent when the limits could not be checked',
    schema: { type: 'string', example: '"messages:send/project";r=99;t=1' },
  },
  'Retry-After': { description: 'Seconds until the exceeded limits have room again', schema: { type: 'integer', example: 1 } },
};

const ref = (name: string) => ({ $ref: `#/components/headers/${name}` });

/** The 429 answer of a rate-limited route (its error body is added where the document gets its error schemas). */
export const RATE_LIMITED_RESPONSE = {
  description: "A rate limit of the route's class is used up: error code `rate_limited`, its message naming the limit",
  headers: { 'Retry-After': ref('Retry-After'), 'RateLimit-Policy': ref('RateLimit-Policy'), RateLimit: ref('RateLimit') },
} as const;

/**
 * Documents a rate-limited controller's 429 answer (on a class, it applies to every route). The
 * document adds it by itself to every route that RateLimitGuard limits (see contract/responses.ts);
 * the decorator states it where the controller is read.
 */
export function ApiRateLimited(): MethodDecorator & ClassDecorator {
  return ApiTooManyRequestsResponse(RATE_LIMITED_RESPONSE);
}

/**
 * Adds the rate limit fields to the success answers of every operation with a 429 answer (Nest's
 * decorators hold one response object per status, so the controllers' own 2xx cannot take them).
 */
export function withRateLimitHeaders(doc: OpenAPIObject): OpenAPIObject {
  doc.components = { ...doc.components, headers: { ...doc.components?.headers, ...HEADERS } };
  for (const path of Object.values(doc.paths)) {
    for (const op of Object.values(path)) {
      const responses = (op as { responses?: Record<string, { headers?: Record<string, unknown> }> }).responses;
      if (!responses?.['429']) continue;
      for (const [status, res] of Object.entries(responses))
        if (status.startsWith('2'))
          res.headers = { ...res.headers, 'RateLimit-Policy': ref('RateLimit-Policy'), RateLimit: ref('RateLimit') };
    }
  }
  return doc;
}
