/**
 * The simulator's own api-docs against Asterisk's real ones, kept verbatim in
 * tools/ari-sim/api-docs (see its SOURCE.md). Fails on any drift: a renamed or retyped parameter,
 * another method or path, an event or model field Asterisk does not have.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { allApiDeclarations, allModels, RESOURCE_NAMES, resourceListing } from './api-docs';
import { conformanceProblems, mergeModels, type DocLike } from './api-docs/conformance';
import { EVENT_MODELS, EVENT_TYPES } from './api-docs/events';
import { validateModel, type ModelLike } from './api-docs/validate';
import { restRoutes } from './server';
import { HANDLERS } from './rest/handlers';

const realDir = resolve(__dirname, '..', 'api-docs');

function readReal(name: string): DocLike & Record<string, unknown> {
  return JSON.parse(readFileSync(resolve(realDir, `${name}.json`), 'utf8')) as DocLike & Record<string, unknown>;
}

const realResources = readReal('resources') as unknown as { apis: Array<{ path: string }> };
const realDocs: Record<string, DocLike> = {};
for (const api of realResources.apis) {
  const name = /\/api-docs\/(\w+)\.\{format\}/.exec(api.path)?.[1] as string;
  realDocs[name] = readReal(name);
}
const simDocs = (): Record<string, DocLike> =>
  JSON.parse(JSON.stringify(allApiDeclarations('http://127.0.0.1:1/ari'))) as Record<string, DocLike>;

describe('api-docs conformance with Asterisk', () => {
  it('lists the same resources as Asterisk resources.json, with swaggerVersion 1.1 and the given basePath', () => {
    const listing = resourceListing('http://sim:1/ari');
    expect(listing.swaggerVersion).toBe('1.1');
    expect(listing.basePath).toBe('http://sim:1/ari');
    expect(listing.apis.map((a) => a.path).sort()).toEqual(realResources.apis.map((a) => a.path).sort());
    expect(RESOURCE_NAMES.sort()).toEqual(Object.keys(realDocs).sort());
  });

  it('declares only operations, parameters and models that Asterisk has, with the same types', () => {
    expect(conformanceProblems(simDocs(), realDocs)).toEqual([]);
  });

  it('declares every event type it emits, each an Asterisk Event subtype', () => {
    const realEvents = realDocs['events']?.models ?? {};
    for (const type of EVENT_TYPES) {
      expect(EVENT_MODELS[type]).toBeDefined();
      expect(realEvents[type]).toBeDefined();
    }
    expect([...(EVENT_MODELS['Event']?.subTypes ?? [])].sort()).toEqual([...EVENT_TYPES].sort());
  });

  it('declares each model type a declared property refers to', () => {
    const models = allModels();
    const primitives = new Set(['string', 'int', 'long', 'double', 'boolean', 'Date', 'object']);
    for (const [name, model] of Object.entries(models)) {
      for (const [prop, p] of Object.entries(model.properties)) {
        const inner = /^List\[(.+)\]$/.exec(p.type)?.[1] ?? p.type;
        if (!primitives.has(inner))
          expect({ ref: `${name}.${prop}`, known: Boolean(models[inner]) }).toEqual({ ref: `${name}.${prop}`, known: true });
      }
    }
  });

  it('has a handler for every declared REST operation and no handler without one', () => {
    const routes = restRoutes();
    const declared = routes.map((r) => `${r.resource}.${r.op.nickname}`).sort();
    expect(Object.keys(HANDLERS).sort()).toEqual([...new Set(declared)].sort());
  });

  describe('detects drift', () => {
    const channelsPlay = (docs: Record<string, DocLike>) =>
      docs['channels']?.apis?.find((a) => a.path === '/channels/{channelId}/play')?.operations[0];

    it('a renamed parameter', () => {
      const docs = simDocs();
      const media = channelsPlay(docs)?.parameters?.find((p) => p.name === 'media');
      if (media) media.name = 'mediaUri';
      expect(conformanceProblems(docs, realDocs)).toEqual(
        expect.arrayContaining([
          expect.stringContaining('parameter mediaUri does not exist'),
          expect.stringContaining('required parameter media missing'),
        ]),
      );
    });

    it('a parameter with another paramType, dataType or required flag', () => {
      const docs = simDocs();
      const params = channelsPlay(docs)?.parameters ?? [];
      const offsetms = params.find((p) => p.name === 'offsetms');
      if (offsetms) offsetms.dataType = 'string';
      const lang = params.find((p) => p.name === 'lang');
      if (lang) lang.paramType = 'body';
      const media = params.find((p) => p.name === 'media');
      if (media) media.required = false;
      const problems = conformanceProblems(docs, realDocs);
      expect(problems).toEqual(
        expect.arrayContaining([
          expect.stringContaining('offsetms dataType string, Asterisk int'),
          expect.stringContaining('lang paramType body, Asterisk query'),
          expect.stringContaining('media required false, Asterisk true'),
        ]),
      );
    });

    it('another method, path or nickname', () => {
      const docs = simDocs();
      const answer = docs['channels']?.apis?.find((a) => a.path === '/channels/{channelId}/answer');
      if (answer?.operations[0]) answer.operations[0].httpMethod = 'PUT';
      const ring = docs['channels']?.apis?.find((a) => a.path === '/channels/{channelId}/ring');
      if (ring) ring.path = '/channels/{channelId}/ringing';
      const hangup = docs['channels']?.apis
        ?.find((a) => a.path === '/channels/{channelId}')
        ?.operations.find((o) => o.httpMethod === 'DELETE');
      if (hangup) hangup.nickname = 'delete';
      expect(conformanceProblems(docs, realDocs)).toEqual(
        expect.arrayContaining([
          expect.stringContaining('no PUT operation'),
          expect.stringContaining('/channels/{channelId}/ringing: no such path'),
          expect.stringContaining('nickname delete, Asterisk hangup'),
        ]),
      );
    });

    it('an event field Asterisk does not have, or of another type', () => {
      const docs = simDocs();
      const dtmf = docs['events']?.models?.['ChannelDtmfReceived'];
      if (dtmf?.properties) {
        dtmf.properties['key'] = { type: 'string', required: true };
        const duration = dtmf.properties['duration_ms'];
        if (duration) duration.type = 'long';
      }
      expect(conformanceProblems(docs, realDocs)).toEqual(
        expect.arrayContaining([
          expect.stringContaining('ChannelDtmfReceived.key: no such property'),
          expect.stringContaining('ChannelDtmfReceived.duration_ms: type long, Asterisk int'),
        ]),
      );
    });

    it('a required model field left out', () => {
      const docs = simDocs();
      delete docs['channels']?.models?.['Channel']?.properties?.['dialplan'];
      expect(conformanceProblems(docs, realDocs)).toEqual([
        expect.stringContaining('Channel.dialplan: required by Asterisk but not declared'),
      ]);
    });
  });

  it('real models merge without id clashes the simulator depends on', () => {
    const merged = mergeModels(realDocs);
    for (const id of Object.keys(allModels())) expect(merged[id]).toBeDefined();
  });
});

describe('event validation against the real models', () => {
  const models = mergeModels(realDocs) as Record<string, ModelLike>;
  const channel = {
    id: '1.1',
    name: 'PJSIP/trunk-00000001',
    state: 'Up',
    protocol_id: '',
    caller: { name: '', number: '+1' },
    connected: { name: '', number: '' },
    accountcode: '',
    dialplan: { context: 'default', exten: 's', priority: 1, app_name: 'Stasis', app_data: 'app' },
    creationtime: '2024-05-01T12:00:00.123+0000',
    language: 'en',
  };
  const base = { type: 'ChannelDtmfReceived', application: 'app', timestamp: '2024-05-01T12:00:00.123+0000', asterisk_id: 'x' };

  it('accepts a well-formed event', () => {
    expect(validateModel({ ...base, digit: '1', duration_ms: 100, channel }, 'ChannelDtmfReceived', models)).toEqual([]);
  });

  it('reports undeclared, missing and mistyped fields, also inside the channel', () => {
    const problems = validateModel(
      { ...base, digit: 1, extra: true, channel: { ...channel, state: 'Talking', dialplan: { ...channel.dialplan, priority: '1' } } },
      'ChannelDtmfReceived',
      models,
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        'ChannelDtmfReceived.digit: expected a string',
        'ChannelDtmfReceived.extra: not declared in model ChannelDtmfReceived',
        'ChannelDtmfReceived.duration_ms: required but missing',
        expect.stringContaining('ChannelDtmfReceived.channel.state: "Talking" not among'),
        'ChannelDtmfReceived.channel.dialplan.priority: expected an integer',
      ]),
    );
  });
});
