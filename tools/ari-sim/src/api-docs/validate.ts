/**
 * Checks a JSON value against a Swagger 1.1 model of the ARI descriptions: required fields
 * present, no fields the model does not declare, primitive types, Date strings, List[...] and
 * nested models. For events the Message and Event base properties (type, asterisk_id,
 * application, timestamp) are allowed in addition to the event model's own.
 */

/** Minimal structural view of a model, so real (parsed JSON) and simulator models both fit. */
export interface ModelLike {
  properties?: Record<string, { type?: string; required?: boolean; allowableValues?: { values?: unknown[] } }>;
}

/** Problems found, as `path: message` strings; empty when the value conforms. */
export function validateModel(value: unknown, modelName: string, models: Record<string, ModelLike>, path = modelName): string[] {
  const model = models[modelName];
  if (!model) return [`${path}: unknown model ${modelName}`];
  if (!isObject(value)) return [`${path}: expected an object`];
  const errors: string[] = [];
  const props = { ...(model.properties ?? {}) };
  // Events carry the Message/Event base fields.
  if (isEventModel(modelName, models)) {
    Object.assign(props, models['Message']?.properties ?? {}, models['Event']?.properties ?? {});
  }
  for (const [name, p] of Object.entries(props)) {
    if (p.required && value[name] === undefined) errors.push(`${path}.${name}: required but missing`);
  }
  for (const [name, v] of Object.entries(value)) {
    const p = props[name];
    if (!p) {
      errors.push(`${path}.${name}: not declared in model ${modelName}`);
      continue;
    }
    if (v === undefined) continue;
    errors.push(...validateType(v, p.type ?? 'string', models, `${path}.${name}`));
    const allowed = p.allowableValues?.values;
    if (allowed && !allowed.includes(v)) errors.push(`${path}.${name}: ${JSON.stringify(v)} not among ${JSON.stringify(allowed)}`);
  }
  return errors;
}

function isEventModel(name: string, models: Record<string, ModelLike>): boolean {
  const event = models['Event'] as (ModelLike & { subTypes?: string[] }) | undefined;
  return Boolean(event?.subTypes?.includes(name));
}

function validateType(v: unknown, type: string, models: Record<string, ModelLike>, path: string): string[] {
  const list = /^List\[(.+)\]$/.exec(type);
  if (list) {
    if (!Array.isArray(v)) return [`${path}: expected a list`];
    return v.flatMap((item, i) => validateType(item, list[1] ?? 'string', models, `${path}[${i}]`));
  }
  switch (type) {
    case 'string':
      return typeof v === 'string' ? [] : [`${path}: expected a string`];
    case 'int':
    case 'long':
      return Number.isInteger(v) ? [] : [`${path}: expected an integer`];
    case 'double':
      return typeof v === 'number' ? [] : [`${path}: expected a number`];
    case 'boolean':
      return typeof v === 'boolean' ? [] : [`${path}: expected a boolean`];
    case 'Date':
      return typeof v === 'string' && !Number.isNaN(Date.parse(v.replace(/([+-]\d\d)(\d\d)$/, '$1:$2')))
        ? []
        : [`${path}: expected a date`];
    case 'object':
      return isObject(v) ? [] : [`${path}: expected an object`];
    default:
      return validateModel(v, type, models, path);
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
