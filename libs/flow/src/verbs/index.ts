import type { Step, Verb } from '../types';
import { dial } from './dial';
import { gather } from './gather';
import { hangup } from './hangup';
import { pause } from './pause';
import { play } from './play';
import { record } from './record';
import { redirect } from './redirect';
import { say } from './say';
import type { VerbModule } from './verb-module';

/**
 * The verbs of the DSL, one module each, in the order the README documents them. `VERBS`,
 * the `Step` type and the step list of `flowSchema` (its `oneOf` and `$defs`) derive from
 * this array: adding a verb is its module plus its import and one entry here (one entry
 * per line, hence prettier-ignore).
 */
// prettier-ignore
export const VERB_MODULES = [
  say,
  play,
  gather,
  dial,
  record,
  pause,
  hangup,
  redirect,
] as const;

/** The step type a verb module handles. */
export type StepOf<M> = M extends VerbModule<infer S> ? S : never;

/** Verb names, in registry order. */
export const VERBS: readonly Verb[] = VERB_MODULES.map((verb) => verb.name);

const BY_NAME: ReadonlyMap<string, VerbModule<Step>> = new Map(VERB_MODULES.map((verb) => [verb.name, verb]));

/** The module of a step's verb. Steps come from validated flows, so their verb is registered. */
export function verbOf(step: Step): VerbModule<Step> {
  return BY_NAME.get(step.verb) as VerbModule<Step>;
}

/** The module registered under `name`, if any (for names read from unvalidated input). */
export function findVerb(name: string): VerbModule<Step> | undefined {
  return BY_NAME.get(name);
}
