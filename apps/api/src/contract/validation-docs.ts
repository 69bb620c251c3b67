import type {
  OpenAPIObject,
  ParameterObject,
  ReferenceObject,
  SchemaObject,
} from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import type { Type } from '@nestjs/common';
import { getMetadataStorage, ValidationTypes } from 'class-validator';
import { DATE_FILTER_PATTERN } from '../common/validators';
import type { RouteHandler } from './routes';

/** The JSON Schema keywords a validation rule stands for. */
export interface Keywords {
  type?: 'integer';
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  enum?: unknown[];
  format?: string;
  nullable?: boolean;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
}

type Rule = (constraints: unknown[], designType: unknown) => Keywords | null;

/** A RegExp as a JSON Schema pattern (ECMA-262 source); a RegExp with flags has none. */
const pattern = (re: unknown): Keywords | null =>
  re instanceof RegExp ? (re.flags === '' ? { pattern: re.source } : null) : typeof re === 'string' ? { pattern: re } : null;

/**
 * JSON Schema keywords of each class-validator rule, by the rule's name (class-validator's own,
 * such as `maxLength`, and the API's from common/validators.ts). Rules without an entry document
 * nothing; a string format's pattern comes from STRING_FORMATS.
 */
const RULES: Readonly<Record<string, Rule>> = {
  // class-validator skips every rule of an @IsOptional() property that is null, as if it were absent.
  isOptional: () => ({ nullable: true }),
  isNotEmpty: (_, type) => (type === String ? { minLength: 1 } : null),
  minLength: ([n]) => ({ minLength: n as number }),
  maxLength: ([n]) => ({ maxLength: n as number }),
  isLength: ([min, max]) => ({ minLength: min as number, ...(typeof max === 'number' ? { maxLength: max } : {}) }),
  min: ([n]) => ({ minimum: n as number }),
  max: ([n]) => ({ maximum: n as number }),
  isInt: () => ({ type: 'integer' }),
  isIn: ([values]) => ({ enum: values as unknown[] }),
  matches: ([re]) => pattern(re),
  arrayMinSize: ([n]) => ({ minItems: n as number }),
  arrayMaxSize: ([n]) => ({ maxItems: n as number }),
  arrayUnique: () => ({ uniqueItems: true }),
  isE164: () => ({ format: 'e164' }),
  isSmsSender: () => ({ format: 'sms-sender' }),
  isAlphanumericSenderId: () => ({ format: 'alphanumeric-sender-id' }),
  isHttpUrl: () => ({ format: 'http-url' }),
  isDateFilter: () => ({ pattern: DATE_FILTER_PATTERN }),
};

/**
 * The keywords each property's class-validator rules stand for, for `cls` (inherited rules
 * included). Rules on array items (`each`) are left to the property's own documentation.
 */
export function ruleKeywords(cls: Type): Map<string, Keywords> {
  const out = new Map<string, Keywords>();
  for (const meta of getMetadataStorage().getTargetValidationMetadatas(cls, '', true, false)) {
    const ruleType = meta.type === ValidationTypes.CUSTOM_VALIDATION || meta.type === ValidationTypes.CONDITIONAL_VALIDATION;
    if (meta.each || !ruleType || !meta.name) continue;
    const designType = Reflect.getMetadata('design:type', cls.prototype as object, meta.propertyName);
    const keywords = RULES[meta.name]?.(meta.constraints ?? [], designType);
    if (keywords) out.set(meta.propertyName, { ...out.get(meta.propertyName), ...keywords });
  }
  return out;
}

/**
 * Adds the keywords `schema` lacks: what a property's own `@ApiProperty` says wins, but `integer`
 * narrows `number`, and a nullable enum lists null (OpenAPI 3.0.3 section 4.7.24.1).
 */
function addKeywords(schema: SchemaObject, keywords: Keywords): void {
  const target = schema as Record<string, unknown>;
  for (const [key, value] of Object.entries(keywords)) {
    if (key === 'type') {
      if (schema.type === 'number') schema.type = 'integer';
    } else target[key] ??= value;
  }
  if (schema.nullable && schema.enum && !schema.enum.includes(null)) schema.enum = [...schema.enum, null];
}

/** A body DTO's component schema and, through its properties' classes, the nested models' ones. */
function documentModel(doc: OpenAPIObject, cls: Type, seen: Set<Type>): void {
  const schema = doc.components?.schemas?.[cls.name] as SchemaObject | undefined;
  if (seen.has(cls) || !schema?.properties) return;
  seen.add(cls);
  for (const [name, keywords] of ruleKeywords(cls)) {
    const prop = schema.properties[name] as SchemaObject | ReferenceObject | undefined;
    if (prop && !('$ref' in prop)) addKeywords(prop, keywords);
  }
  for (const name of Object.keys(schema.properties)) {
    const type = Reflect.getMetadata('design:type', cls.prototype as object, name) as unknown;
    if (typeof type === 'function') documentModel(doc, type as Type, seen);
  }
}

/**
 * Writes the class-validator rules of request DTOs into the document (`@MaxLength(100)` becomes
 * `maxLength: 100`, `@IsInt()` `type: integer`, `@IsE164()` the `e164` format ...), so that it
 * states what validation enforces without each rule being written twice: body DTOs in their
 * component schemas (nested models followed), query DTOs in the operation's query parameters.
 * `handlers` are the routes by operationId (routeHandlersOf).
 */
export function withValidationRules(doc: OpenAPIObject, handlers: ReadonlyMap<string, RouteHandler>): OpenAPIObject {
  const seen = new Set<Type>();
  for (const item of Object.values(doc.paths)) {
    for (const op of [item.get, item.put, item.post, item.delete, item.patch]) {
      const route = op?.operationId ? handlers.get(op.operationId) : undefined;
      if (!op || !route) continue;
      if (route.body) documentModel(doc, route.body, seen);
      if (!route.query) continue;
      const keywords = ruleKeywords(route.query);
      for (const p of op.parameters ?? []) {
        const param = p as ParameterObject;
        // A query string has no null: an absent parameter is what @IsOptional() allows there.
        const { nullable: _, ...rules } = (param.in === 'query' && keywords.get(param.name)) || {};
        if (param.schema && !('$ref' in param.schema)) addKeywords(param.schema, rules);
      }
    }
  }
  return doc;
}
