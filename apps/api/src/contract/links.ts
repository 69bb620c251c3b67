import type {
  LinkObject,
  OpenAPIObject,
  OperationObject,
  ReferenceObject,
  ResponseObject,
  SchemaObject,
} from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/** Property names of a response's JSON schema (its component, when it is a reference). */
function responseProperties(doc: OpenAPIObject, res: ResponseObject): Set<string> {
  let schema = res.content?.['application/json']?.schema as SchemaObject | ReferenceObject | undefined;
  if (schema && '$ref' in schema) schema = doc.components?.schemas?.[schema.$ref.replace('#/components/schemas/', '')];
  return new Set(Object.keys((schema as SchemaObject | undefined)?.properties ?? {}));
}

const pathParams = (path: string): string[] => [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);

/**
 * OpenAPI links (section 4.7.20) from each create to the operations on what it created, so that
 * clients and stateful test generators can follow them: a `POST <collection>` answering 201
 * links to every operation under `<collection>/{param}`, `param` taken from the created body's
 * `id` (or its property of the same name, e.g. a flow version's `version`) and the collection's
 * own path parameters from the request. Parameters further down (a call's `{recordingId}`) stay
 * free. Links are named by the target's operationId.
 */
export function withCreateLinks(doc: OpenAPIObject): OpenAPIObject {
  for (const [collection, item] of Object.entries(doc.paths)) {
    const created = item.post?.responses['201'] as ResponseObject | undefined;
    if (!created) continue;
    const props = responseProperties(doc, created);
    const links: Record<string, LinkObject> = {};
    for (const [path, target] of Object.entries(doc.paths)) {
      const param = /^\/\{([^}/]+)\}/.exec(path.slice(collection.length))?.[1];
      if (!path.startsWith(`${collection}/`) || !param) continue;
      const source = props.has('id') ? 'id' : props.has(param) ? param : undefined;
      if (!source) continue;
      const parameters: Record<string, string> = { [param]: `$response.body#/${source}` };
      for (const own of pathParams(collection)) parameters[own] = `$request.path.${own}`;
      for (const method of METHODS) {
        const op: OperationObject | undefined = target[method];
        if (op?.operationId) links[op.operationId] = { operationId: op.operationId, parameters };
      }
    }
    if (Object.keys(links).length) created.links = { ...created.links, ...links };
  }
  return doc;
}
