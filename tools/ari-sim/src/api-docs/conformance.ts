/**
 * Compares the simulator's api-docs with Asterisk's real ones (the JSON files of
 * rest-api/api-docs, given as parsed objects). Every operation the simulator declares must exist
 * in the real description at the same path with the same httpMethod, nickname and
 * responseClass; each of its parameters must exist there with the same name, paramType,
 * dataType, required and allowMultiple flags (default values and allowed values must agree);
 * its error codes must be among the real ones. Every model property the simulator declares
 * must exist in the real model with the same type and required flag, and every property the
 * real model requires must be declared. Used by conformance.spec.ts.
 */

/** Loose view of a parsed api-doc (real or simulated). */
export interface DocLike {
  apis?: Array<{ path: string; operations: OperationLike[] }>;
  models?: Record<string, ModelDocLike>;
}

interface OperationLike {
  httpMethod: string;
  nickname: string;
  responseClass: string;
  parameters?: ParameterLike[];
  errorResponses?: Array<{ code: number }>;
}

interface ParameterLike {
  name: string;
  paramType: string;
  dataType: string;
  required?: boolean;
  allowMultiple?: boolean;
  defaultValue?: unknown;
  allowableValues?: { values?: unknown[] };
}

interface ModelDocLike {
  properties?: Record<string, { type?: string; required?: boolean; allowableValues?: { values?: unknown[] } }>;
  subTypes?: string[];
}

/** Problems of the simulated api-docs against the real ones; empty when they conform. */
export function conformanceProblems(sim: Record<string, DocLike>, real: Record<string, DocLike>): string[] {
  const problems: string[] = [];
  const realModels = mergeModels(real);
  for (const [resource, doc] of Object.entries(sim)) {
    const realDoc = real[resource];
    if (!realDoc) {
      problems.push(`${resource}: no such api-doc in Asterisk`);
      continue;
    }
    for (const api of doc.apis ?? []) {
      const realApi = realDoc.apis?.find((a) => a.path === api.path);
      if (!realApi) {
        problems.push(`${resource} ${api.path}: no such path`);
        continue;
      }
      for (const op of api.operations)
        problems.push(...operationProblems(`${resource} ${op.httpMethod} ${api.path}`, op, realApi.operations));
    }
    for (const [name, model] of Object.entries(doc.models ?? {})) problems.push(...modelProblems(name, model, realModels[name]));
  }
  return problems;
}

function operationProblems(where: string, op: OperationLike, realOps: OperationLike[]): string[] {
  const real = realOps.find((o) => o.httpMethod === op.httpMethod);
  if (!real) return [`${where}: no ${op.httpMethod} operation at this path`];
  const problems: string[] = [];
  if (real.nickname !== op.nickname) problems.push(`${where}: nickname ${op.nickname}, Asterisk ${real.nickname}`);
  if (real.responseClass !== op.responseClass) problems.push(`${where}: responseClass ${op.responseClass}, Asterisk ${real.responseClass}`);
  for (const p of op.parameters ?? []) {
    const rp = real.parameters?.find((x) => x.name === p.name);
    if (!rp) {
      problems.push(`${where}: parameter ${p.name} does not exist in Asterisk`);
      continue;
    }
    for (const field of ['paramType', 'dataType'] as const) {
      if (rp[field] !== p[field]) problems.push(`${where}: parameter ${p.name} ${field} ${p[field]}, Asterisk ${rp[field]}`);
    }
    if (Boolean(rp.required) !== Boolean(p.required))
      problems.push(`${where}: parameter ${p.name} required ${Boolean(p.required)}, Asterisk ${Boolean(rp.required)}`);
    if (Boolean(rp.allowMultiple) !== Boolean(p.allowMultiple)) {
      problems.push(`${where}: parameter ${p.name} allowMultiple ${Boolean(p.allowMultiple)}, Asterisk ${Boolean(rp.allowMultiple)}`);
    }
    if (p.defaultValue !== undefined && p.defaultValue !== rp.defaultValue) {
      problems.push(`${where}: parameter ${p.name} defaultValue ${String(p.defaultValue)}, Asterisk ${String(rp.defaultValue)}`);
    }
    for (const v of p.allowableValues?.values ?? []) {
      if (!(rp.allowableValues?.values ?? []).includes(v))
        problems.push(`${where}: parameter ${p.name} value ${String(v)} not allowed by Asterisk`);
    }
  }
  // A parameter Asterisk requires must be declared, or ari-client could not send it.
  for (const rp of real.parameters ?? []) {
    if (rp.required && !(op.parameters ?? []).some((p) => p.name === rp.name))
      problems.push(`${where}: required parameter ${rp.name} missing`);
  }
  // Asterisk's api-docs write most codes as numbers and some (channels `move`) as strings.
  const realCodes = new Set((real.errorResponses ?? []).map((e) => Number(e.code)));
  for (const e of op.errorResponses ?? [])
    if (!realCodes.has(Number(e.code))) problems.push(`${where}: error ${e.code} not listed by Asterisk`);
  return problems;
}

function modelProblems(name: string, model: ModelDocLike, real: ModelDocLike | undefined): string[] {
  if (!real) return [`model ${name}: no such model in Asterisk`];
  const problems: string[] = [];
  for (const [prop, p] of Object.entries(model.properties ?? {})) {
    const rp = real.properties?.[prop];
    if (!rp) {
      problems.push(`model ${name}.${prop}: no such property in Asterisk`);
      continue;
    }
    if (rp.type !== p.type) problems.push(`model ${name}.${prop}: type ${p.type}, Asterisk ${rp.type}`);
    if (Boolean(rp.required) !== Boolean(p.required))
      problems.push(`model ${name}.${prop}: required ${Boolean(p.required)}, Asterisk ${Boolean(rp.required)}`);
    for (const v of p.allowableValues?.values ?? []) {
      if (!(rp.allowableValues?.values ?? []).includes(v))
        problems.push(`model ${name}.${prop}: value ${String(v)} not allowed by Asterisk`);
    }
  }
  for (const [prop, rp] of Object.entries(real.properties ?? {})) {
    if (rp.required && !model.properties?.[prop]) problems.push(`model ${name}.${prop}: required by Asterisk but not declared`);
  }
  for (const sub of model.subTypes ?? []) {
    if (!(real.subTypes ?? []).includes(sub)) problems.push(`model ${name}: subType ${sub} unknown to Asterisk`);
  }
  return problems;
}

/** All models of a set of api-docs keyed by id (ARI model ids are unique across files). */
export function mergeModels(docs: Record<string, DocLike>): Record<string, ModelDocLike> {
  const out: Record<string, ModelDocLike> = {};
  for (const doc of Object.values(docs)) Object.assign(out, doc.models ?? {});
  return out;
}
