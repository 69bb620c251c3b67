/**
 * Assembles what GET /ari/api-docs/resources.json and /ari/api-docs/{resource}.json serve.
 * The resource list has the same eleven entries as Asterisk's resources.json, so that
 * ari-client's resource constructors (ari.Channel(), ari.Endpoint(), ...) all find their api;
 * endpoints, sounds, deviceStates and mailboxes are declared without operations.
 */
import { EVENTS_APIS, EVENT_MODELS } from './events';
import { RESOURCE_MODELS } from './models';
import { APPLICATIONS_APIS, ASTERISK_APIS, BRIDGES_APIS, CHANNELS_APIS, PLAYBACKS_APIS, RECORDINGS_APIS } from './resources';
import type { ApiDeclaration, ResourceListing, SwaggerApi, SwaggerModel } from './swagger';

/** apiVersion reported by the descriptions (the ARI version of the Asterisk they were checked against). */
export const API_VERSION = '12.0.0';

interface ResourceEntry {
  name: string;
  description: string;
  apis: SwaggerApi[];
  models: Record<string, SwaggerModel>;
}

const RESOURCES: ResourceEntry[] = [
  { name: 'asterisk', description: 'Asterisk resources', apis: ASTERISK_APIS, models: RESOURCE_MODELS['asterisk'] ?? {} },
  { name: 'endpoints', description: 'Endpoint resources', apis: [], models: {} },
  { name: 'channels', description: 'Channel resources', apis: CHANNELS_APIS, models: RESOURCE_MODELS['channels'] ?? {} },
  { name: 'bridges', description: 'Bridge resources', apis: BRIDGES_APIS, models: RESOURCE_MODELS['bridges'] ?? {} },
  { name: 'recordings', description: 'Recording resources', apis: RECORDINGS_APIS, models: RESOURCE_MODELS['recordings'] ?? {} },
  { name: 'sounds', description: 'Sound resources', apis: [], models: {} },
  { name: 'playbacks', description: 'Playback control resources', apis: PLAYBACKS_APIS, models: RESOURCE_MODELS['playbacks'] ?? {} },
  { name: 'deviceStates', description: 'Device state resources', apis: [], models: {} },
  { name: 'mailboxes', description: 'Mailboxes resources', apis: [], models: {} },
  { name: 'events', description: 'WebSocket resource', apis: EVENTS_APIS, models: EVENT_MODELS },
  {
    name: 'applications',
    description: 'Stasis application resources',
    apis: APPLICATIONS_APIS,
    models: RESOURCE_MODELS['applications'] ?? {},
  },
];

/** Names of the served api-docs, in resources.json order. */
export const RESOURCE_NAMES: string[] = RESOURCES.map((r) => r.name);

/**
 * The resource listing. `basePath` must be the absolute URL of this server's /ari (ari-client
 * fetches every api-doc relative to it), e.g. `http://127.0.0.1:58088/ari`.
 */
export function resourceListing(basePath: string): ResourceListing {
  return {
    apiVersion: API_VERSION,
    swaggerVersion: '1.1',
    basePath,
    apis: RESOURCES.map((r) => ({ path: `/api-docs/${r.name}.{format}`, description: r.description })),
  };
}

/** One api-doc by resource name, or undefined for an unknown name. */
export function apiDeclaration(name: string, basePath: string): ApiDeclaration | undefined {
  const r = RESOURCES.find((x) => x.name === name);
  if (!r) return undefined;
  return {
    apiVersion: API_VERSION,
    swaggerVersion: '1.1',
    basePath,
    resourcePath: `/api-docs/${r.name}.{format}`,
    apis: r.apis,
    models: r.models,
  };
}

/** Every served api-doc keyed by resource name. */
export function allApiDeclarations(basePath: string): Record<string, ApiDeclaration> {
  const out: Record<string, ApiDeclaration> = {};
  for (const name of RESOURCE_NAMES) {
    const d = apiDeclaration(name, basePath);
    if (d) out[name] = d;
  }
  return out;
}

/** Every model the simulator declares (resource models and event models), keyed by id. */
export function allModels(): Record<string, SwaggerModel> {
  const out: Record<string, SwaggerModel> = {};
  for (const r of RESOURCES) Object.assign(out, r.models);
  return out;
}
