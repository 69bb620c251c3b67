import type { Flow, Step } from './types';
import { verbOf } from './verbs';

/** Where control goes: a step index, or `'end'` (off the end of the document: hang up normally). */
export type Target = number | 'end';

/** Label -> index of the first step carrying it. */
export function labelIndex(flow: Flow): Map<string, number> {
  const labels = new Map<string, number>();
  flow.steps.forEach((step, i) => {
    if (step.label !== undefined && !labels.has(step.label)) labels.set(step.label, i);
  });
  return labels;
}

/**
 * Where a step continues when it completes without a more specific branch: its `next`
 * label, else the following step, else `'end'`. Returns `undefined` when `next` names a
 * missing label (impossible in a validated flow).
 */
export function fallThrough(flow: Flow, index: number, labels: Map<string, number>): Target | undefined {
  const step = flow.steps[index];
  if ('next' in step && step.next !== undefined) return labels.get(step.next);
  return index + 1 < flow.steps.length ? index + 1 : 'end';
}

/** True when `fallThrough` leads to a step (a `next` label or a following step) rather than off the end. */
export function fallsToAStep(flow: Flow, index: number): boolean {
  const step = flow.steps[index];
  return ('next' in step && step.next !== undefined) || index + 1 < flow.steps.length;
}

/**
 * Labels a step may jump to, by the field that names them (the JSON Pointer suffix, e.g.
 * `next`, `branches/1`, `onBusy`): `next`, then the verb's own label options. Fall-through
 * to the following step is not included.
 */
export function labelReferences(step: Step): Array<{ field: string; label: string }> {
  const fields = [{ field: 'next', label: 'next' in step ? step.next : undefined }, ...(verbOf(step).labels?.(step) ?? [])];
  return fields.flatMap(({ field, label }) => (label === undefined ? [] : [{ field, label }]));
}

/**
 * Steps control can move to from step `index` (by any outcome), for reachability: what the
 * verb's module says (e.g. none after `hangup`, only `fallback` after `redirect`), else
 * fall-through.
 */
export function successors(flow: Flow, index: number, labels: Map<string, number>): Target[] {
  const step = flow.steps[index];
  const label = (name: string | undefined): Target[] => {
    const target = name === undefined ? undefined : labels.get(name);
    return target === undefined ? [] : [target];
  };
  const through = (): Target[] => {
    const target = fallThrough(flow, index, labels);
    return target === undefined ? [] : [target];
  };
  const verb = verbOf(step);
  return verb.successors === undefined ? through() : verb.successors(step, { label, fallThrough: through });
}
