import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { flowSchema, SAMPLE_FLOW } from './index';
import { doc, gather, say } from './testing/builders';

describe('flowSchema', () => {
  it('is a plain JSON draft 2020-12 schema', () => {
    expect(flowSchema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(JSON.parse(JSON.stringify(flowSchema))).toEqual(flowSchema);
  });

  it('cannot be modified by a consumer', () => {
    expect(Object.isFrozen(flowSchema)).toBe(true);
    expect(Object.isFrozen(flowSchema.$defs.say.properties)).toBe(true);
  });

  it('compiles in a fresh strict ajv and accepts the sample flow', () => {
    const ajv = new Ajv2020({ strict: true, discriminator: true });
    addFormats(ajv);
    const validate = ajv.compile(JSON.parse(JSON.stringify(flowSchema)));
    expect(validate(SAMPLE_FLOW)).toBe(true);
    expect(validate(doc({ verb: 'sya', text: 'Hi' }))).toBe(false);
  });

  it('still validates in a validator that ignores the discriminator keyword (plain oneOf)', () => {
    const ajv = new Ajv2020({ strict: false });
    addFormats(ajv);
    const validate = ajv.compile(JSON.parse(JSON.stringify(flowSchema)));
    expect(validate(SAMPLE_FLOW)).toBe(true);
    expect(validate(doc(say({ speed: 2 })))).toBe(false);
    expect(validate(doc(gather({ actionHook: 'https://example.com/h', default: 'x' }), say({ label: 'x' })))).toBe(false);
  });
});
