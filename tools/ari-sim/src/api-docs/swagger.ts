/**
 * Swagger 1.1 shapes as Asterisk publishes them under /ari/api-docs (rest-api/api-docs/*.json),
 * plus small builders so each description stays short. Only the fields ARI uses are modelled.
 */

/** `paramType` values ARI uses. */
export type ParamType = 'path' | 'query' | 'body' | 'form' | 'header';

/** One operation parameter (`apis[].operations[].parameters[]`). */
export interface SwaggerParameter {
  name: string;
  description: string;
  paramType: ParamType;
  required: boolean;
  allowMultiple: boolean;
  /** ARI data types: string, int, long, double, boolean, containers, object. */
  dataType: string;
  defaultValue?: string | number | boolean;
  allowableValues?: { valueType: 'LIST'; values: string[] };
}

/** An error an operation may answer with (`errorResponses[]`). */
export interface SwaggerErrorResponse {
  code: number;
  reason: string;
}

/** One operation (`apis[].operations[]`). */
export interface SwaggerOperation {
  httpMethod: 'GET' | 'POST' | 'PUT' | 'DELETE';
  summary: string;
  nickname: string;
  /** Response model name, `List[Model]`, `void` or `binary`. */
  responseClass: string;
  parameters: SwaggerParameter[];
  errorResponses?: SwaggerErrorResponse[];
  /** Only on the events WebSocket operation. */
  upgrade?: 'websocket';
  websocketProtocol?: 'ari';
}

/** One path with its operations (`apis[]`). */
export interface SwaggerApi {
  /** Path under basePath with `{param}` placeholders, e.g. `/channels/{channelId}/play`. */
  path: string;
  description: string;
  operations: SwaggerOperation[];
}

/** One model property. `type` is a primitive, a model name, `Date` or `List[...]`. */
export interface SwaggerProperty {
  type: string;
  required?: boolean;
  description?: string;
  allowableValues?: { valueType: 'LIST'; values: string[] };
}

/** One model (`models{}`); events use `subTypes`/`discriminator` for the Message/Event hierarchy. */
export interface SwaggerModel {
  id: string;
  description: string;
  properties: Record<string, SwaggerProperty>;
  discriminator?: string;
  subTypes?: string[];
  extends?: string;
}

/** A whole api-doc (`/ari/api-docs/{resource}.json`). */
export interface ApiDeclaration {
  apiVersion: string;
  swaggerVersion: '1.1';
  basePath: string;
  resourcePath: string;
  apis: SwaggerApi[];
  models: Record<string, SwaggerModel>;
}

/** The resource listing (`/ari/api-docs/resources.json`). */
export interface ResourceListing {
  apiVersion: string;
  swaggerVersion: '1.1';
  basePath: string;
  apis: Array<{ path: string; description: string }>;
}

/** Options of an optional query parameter. */
interface QueryOptions {
  required?: boolean;
  allowMultiple?: boolean;
  defaultValue?: string | number | boolean;
  values?: string[];
}

/** A required path parameter (always a string in ARI). */
export function pathParam(name: string, description: string): SwaggerParameter {
  return { name, description, paramType: 'path', required: true, allowMultiple: false, dataType: 'string' };
}

/** A query parameter; optional unless `opts.required`. */
export function queryParam(name: string, dataType: string, description: string, opts: QueryOptions = {}): SwaggerParameter {
  const param: SwaggerParameter = {
    name,
    description,
    paramType: 'query',
    required: opts.required ?? false,
    allowMultiple: opts.allowMultiple ?? false,
    dataType,
  };
  if (opts.defaultValue !== undefined) param.defaultValue = opts.defaultValue;
  if (opts.values) param.allowableValues = { valueType: 'LIST', values: opts.values };
  return param;
}

/** The JSON body parameter ARI calls `variables` (dataType `containers`): `{"variables": {"NAME": "value"}}`. */
export function variablesBody(description: string, required = false): SwaggerParameter {
  return { name: 'variables', description, paramType: 'body', required, allowMultiple: false, dataType: 'containers' };
}

/** Shorthand for a model property. */
export function prop(type: string, required: boolean, description?: string, values?: string[]): SwaggerProperty {
  const p: SwaggerProperty = { type, required };
  if (description) p.description = description;
  if (values) p.allowableValues = { valueType: 'LIST', values };
  return p;
}

/** Builds `{[id]: model}` maps from model lists. */
export function modelMap(...models: SwaggerModel[]): Record<string, SwaggerModel> {
  const out: Record<string, SwaggerModel> = {};
  for (const m of models) out[m.id] = m;
  return out;
}
