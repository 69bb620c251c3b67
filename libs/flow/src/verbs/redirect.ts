import { LIMITS } from '../limits';
import { int, ref, verbConst } from '../schema-parts';
import type { VerbModule } from './verb-module';
import { secondsToMs } from './verb-module';

/** `redirect` (jambonz `redirect`, TwiML `<Redirect>`): fetch the rest of the flow from a URL. */
export interface RedirectStep {
  verb: 'redirect';
  label?: string;
  /** http(s) URL returning a flow document or a bare array of steps. */
  url: string;
  /** Default `POST`. */
  method?: 'POST' | 'GET';
  /** Seconds to wait for the answer (default 5). 1..30. */
  timeout?: number;
  /** Label to continue with when the fetch fails or returns an invalid document; without it the call hangs up. */
  fallback?: string;
}

const F = LIMITS.fetch;

/**
 * `redirect`: a fetch command (purpose `redirect`). The verbs returned replace the rest of
 * the flow; on failure control goes to `fallback`, else the call hangs up.
 */
export const redirect = {
  name: 'redirect',
  schema: {
    type: 'object',
    description: 'Fetch the rest of the flow from a URL.',
    additionalProperties: false,
    required: ['verb', 'url'],
    properties: {
      verb: verbConst('redirect'),
      label: ref('label'),
      url: ref('httpUrl'),
      method: { enum: ['POST', 'GET'], default: F.methodDefault },
      timeout: int(F.timeoutMin, F.timeoutMax, 'Seconds to wait for the answer.', F.timeoutDefault),
      fallback: { ...ref('label'), description: 'Label when the fetch fails or returns an invalid flow.' },
    },
  },
  noNext: 'the fetched verbs replace the rest; use "fallback" for failures',
  command: (step, context) => ({
    kind: 'fetch',
    step: context.ref,
    purpose: 'redirect',
    url: step.url,
    method: step.method ?? F.methodDefault,
    timeoutMs: secondsToMs(step.timeout ?? F.timeoutDefault),
    body: context.fetchBody('redirect'),
  }),
  outbound: (step) => [{ field: 'url', kind: 'url', value: step.url }],
  labels: (step) => [{ field: 'fallback', label: step.fallback }],
  successors: (step, edges) => edges.label(step.fallback),
} satisfies VerbModule<RedirectStep>;
