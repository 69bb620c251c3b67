import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { flowSchema, VERBS } from '../index';
import { FORMATS } from '../schema-parts';
import { VERB_MODULES } from './index';
import type { VerbModule } from './verb-module';

const modules: readonly VerbModule<{ verb: string }>[] = VERB_MODULES;
const names = modules.map((verb) => verb.name);
const defs: Record<string, unknown> = flowSchema.$defs;

describe('verb registry', () => {
  it('registers each verb once', () => {
    expect(new Set(names).size).toBe(names.length);
  });

  it('is the verb list of the JSON Schema (the step oneOf the discriminator dispatches on)', () => {
    expect(flowSchema.$defs.step.oneOf).toEqual(names.map((name) => ({ $ref: `#/$defs/${name}` })));
  });

  it('is VERBS', () => {
    expect(VERBS).toEqual(names);
  });

  it('publishes each module schema and its extra definitions as they are, after the shared formats and step', () => {
    const extra = modules.flatMap((verb) => Object.keys(verb.defs ?? {}));
    expect(Object.keys(defs)).toEqual([...Object.keys(FORMATS), 'step', ...extra, ...names]);
    for (const verb of modules) {
      expect(defs[verb.name]).toBe(verb.schema);
      for (const [name, schema] of Object.entries(verb.defs ?? {})) expect(defs[name]).toBe(schema);
    }
  });

  describe.each(modules.map((verb) => [verb.name, verb] as const))('%s', (name, verb) => {
    it('has a schema fragment that compiles in strict ajv with only the shared formats and its own definitions', () => {
      const ajv = new Ajv2020({ strict: true, discriminator: true, allErrors: true });
      addFormats(ajv, ['uri']);
      const fragment = structuredClone({ $defs: { ...FORMATS, ...verb.defs, [name]: verb.schema }, $ref: `#/$defs/${name}` });
      const validate = ajv.compile(fragment);
      expect(validate({ verb: name, notAnOption: 1 })).toBe(false);
      expect(validate.errors).toContainEqual(expect.objectContaining({ keyword: 'additionalProperties' }));
    });

    it('is a closed object whose verb is its name', () => {
      expect(verb.schema).toMatchObject({ type: 'object', additionalProperties: false, properties: { verb: { const: name } } });
      expect((verb.schema.required as string[])[0]).toBe('verb');
    });

    it('explains a missing "next" exactly when its schema has none', () => {
      const takesNext = 'next' in (verb.schema.properties as Record<string, unknown>);
      expect(verb.noNext === undefined).toBe(takesNext);
    });
  });
});
