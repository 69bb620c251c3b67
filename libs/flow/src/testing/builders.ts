import type { Flow, FlowError } from '../types';
import { validateFlow } from '../validate';

/** Loose step objects for tests: valid minimal steps that a test extends or breaks. */
export type RawStep = Record<string, unknown>;

export const say = (extra: RawStep = {}): RawStep => ({ verb: 'say', text: 'Hello', ...extra });
export const play = (extra: RawStep = {}): RawStep => ({ verb: 'play', url: 'sound:hello-world', ...extra });
export const gather = (extra: RawStep = {}): RawStep => ({ verb: 'gather', ...extra });
export const dial = (extra: RawStep = {}): RawStep => ({ verb: 'dial', target: '+14155550100', ...extra });
export const record = (extra: RawStep = {}): RawStep => ({ verb: 'record', ...extra });
export const pause = (extra: RawStep = {}): RawStep => ({ verb: 'pause', length: 1, ...extra });
export const hangup = (extra: RawStep = {}): RawStep => ({ verb: 'hangup', ...extra });
export const redirect = (extra: RawStep = {}): RawStep => ({ verb: 'redirect', url: 'https://example.com/next', ...extra });

/** A version 1 document of these steps. */
export const doc = (...steps: RawStep[]): Record<string, unknown> => ({ version: 1, steps });

/** Validates and returns the flow; fails the test with the errors if the document is invalid. */
export function flowOf(...steps: RawStep[]): Flow {
  const result = validateFlow(doc(...steps));
  if (!result.ok) throw new Error(`test flow is invalid: ${JSON.stringify(result.errors)}`);
  return result.flow;
}

/** Path and code of each error, for exact comparisons. */
export function problems(input: unknown): Array<Pick<FlowError, 'path' | 'code'>> {
  const result = validateFlow(input);
  return result.ok ? [] : result.errors.map(({ path, code }) => ({ path, code }));
}
