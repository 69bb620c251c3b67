import { LIMITS } from './limits';
import { FORMATS } from './schema-parts';
import { VERB_MODULES } from './verbs';
import type { VerbModule } from './verbs/verb-module';

// The registry's definitions, typed by their modules so the published schema keeps its
// literal type (e.g. `flowSchema.$defs.gather.properties.timeout.default` is a number).
type Registered = (typeof VERB_MODULES)[number];
type DefsOf<M> = M extends { defs: infer D } ? D : never;
type Entries<T> = { [K in keyof T]: [K, T[K]] }[keyof T];
type VerbDefs = { [E in Entries<DefsOf<Registered>> as E[0]]: E[1] };
type StepDefs = { [M in Registered as M['name']]: M['schema'] };

const modules: readonly VerbModule<{ verb: string }>[] = VERB_MODULES;
const verbDefs = Object.assign({}, ...modules.map((verb) => verb.defs ?? {})) as VerbDefs;
const stepDefs = Object.fromEntries(modules.map((verb) => [verb.name, verb.schema])) as StepDefs;

/**
 * The JSON Schema (draft 2020-12) of flow documents, DSL version 1, published verbatim
 * at `GET /v1/flows/schema`. Steps are discriminated on `verb` (the OpenAPI-style
 * `discriminator` keyword next to `oneOf`; validators that do not know it still get a
 * correct `oneOf`). Every object is closed (`additionalProperties: false`).
 *
 * The step list derives from the verb registry (`verbs/index.ts`): `$defs` holds the shared
 * string formats, `step`, the extra definitions of the verbs (gather's `prompt`...), then
 * one definition per verb, in registry order.
 *
 * The schema covers shapes only. Labels, reachability and gather exits are checked by
 * `validateFlow` after the schema passes; see the library README.
 */
export const flowSchema = deepFreeze({
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'Call flow, DSL version 1',
  description:
    'A call flow: steps run in order; `next` and branch options jump to step labels; running off the end hangs up. Durations are whole seconds.',
  type: 'object',
  additionalProperties: false,
  required: ['version', 'steps'],
  properties: {
    version: { const: 1, description: 'DSL version; only 1 exists.' },
    steps: { type: 'array', minItems: LIMITS.steps.min, maxItems: LIMITS.steps.max, items: { $ref: '#/$defs/step' } },
  },
  $defs: {
    ...FORMATS,
    step: {
      type: 'object',
      required: ['verb'],
      properties: { verb: { type: 'string' } },
      discriminator: { propertyName: 'verb' },
      oneOf: modules.map((verb) => ({ $ref: `#/$defs/${verb.name}` })),
    },
    ...verbDefs,
    ...stepDefs,
  },
});

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
