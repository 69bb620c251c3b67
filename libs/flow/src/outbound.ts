import type { Flow } from './types';
import { verbOf } from './verbs';

/** A URL a flow fetches or a target it dials, at `path`, a JSON Pointer into the document (`/steps/2/url`). */
export interface FlowOutbound {
  path: string;
  kind: 'url' | 'dial';
  value: string;
}

/**
 * Everything a valid flow document names that the gateway would reach on the project's behalf:
 * `redirect` URLs and gather `actionHook`s (fetched by the orchestrator), `dial` targets, in step
 * order. The DSL has no templating, so these are the values used at run time; documents a fetch
 * returns later name their own.
 */
export function flowOutbound(flow: Flow): FlowOutbound[] {
  return flow.steps.flatMap((step, i) =>
    (verbOf(step).outbound?.(step) ?? []).map(({ field, kind, value }) => ({ path: `/steps/${i}/${field}`, kind, value })),
  );
}
