import type { OpenAPIObject, ResponseObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { withCreateLinks } from './links';

const created = (schema: object) => ({ '201': { description: '', content: { 'application/json': { schema } } } });

describe('withCreateLinks', () => {
  const doc = (): OpenAPIObject => ({
    openapi: '3.0.0',
    info: { title: 't', version: '1' },
    paths: {
      '/v1/flows': { post: { operationId: 'create', responses: created({ $ref: '#/components/schemas/Flow' }) } },
      '/v1/flows/schema': { get: { operationId: 'schema', responses: {} } },
      '/v1/flows/{flowId}': { get: { operationId: 'get', responses: {} } },
      '/v1/flows/{flowId}/versions': {
        post: { operationId: 'addVersion', responses: created({ type: 'object', properties: { version: { type: 'integer' } } }) },
      },
      '/v1/flows/{flowId}/versions/{version}': { get: { operationId: 'getVersion', responses: {} } },
    },
    components: { schemas: { Flow: { type: 'object', properties: { id: { type: 'string' } } } } },
  });

  it("links a create to every operation under the created resource, by its id or the parameter's own field", () => {
    const out = withCreateLinks(doc());
    expect((out.paths['/v1/flows'].post!.responses['201'] as ResponseObject).links).toEqual({
      get: { operationId: 'get', parameters: { flowId: '$response.body#/id' } },
      addVersion: { operationId: 'addVersion', parameters: { flowId: '$response.body#/id' } },
      getVersion: { operationId: 'getVersion', parameters: { flowId: '$response.body#/id' } },
    });
    expect((out.paths['/v1/flows/{flowId}/versions'].post!.responses['201'] as ResponseObject).links).toEqual({
      getVersion: { operationId: 'getVersion', parameters: { version: '$response.body#/version', flowId: '$request.path.flowId' } },
    });
  });
});
