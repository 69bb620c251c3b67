import type { Flow, GatherStep, Step } from './types';

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

/** Is this gather in actionHook mode (its outcomes are POSTed, not branched on)? */
export function usesActionHook(step: GatherStep): boolean {
  return step.actionHook !== undefined;
}

/**
 * Labels a step may jump to, by the field that names them (the JSON Pointer suffix, e.g.
 * `next`, `branches/1`, `onBusy`). `next` is included; fall-through to the following step is not.
 */
export function labelReferences(step: Step): Array<{ field: string; label: string }> {
  const refs: Array<{ field: string; label: string }> = [];
  const add = (field: string, label: string | undefined): void => {
    if (label !== undefined) refs.push({ field, label });
  };
  if ('next' in step) add('next', step.next);
  switch (step.verb) {
    case 'gather':
      for (const [digits, label] of Object.entries(step.branches ?? {})) add(`branches/${escapePointer(digits)}`, label);
      add('default', step.default);
      add('onTimeout', step.onTimeout);
      break;
    case 'dial':
      add('onBusy', step.onBusy);
      add('onNoAnswer', step.onNoAnswer);
      add('onFailed', step.onFailed);
      break;
    case 'redirect':
      add('fallback', step.fallback);
      break;
    default:
      break;
  }
  return refs;
}

/**
 * Steps control can move to from step `index` (by any outcome), for reachability.
 * `hangup` has none; a `redirect` only its `fallback` (on success the document is
 * replaced); a gather with an actionHook falls through when the hook fails.
 */
export function successors(flow: Flow, index: number, labels: Map<string, number>): Target[] {
  const step = flow.steps[index];
  const byLabel = (label: string | undefined): Target[] => {
    const target = label === undefined ? undefined : labels.get(label);
    return target === undefined ? [] : [target];
  };
  const through = (): Target[] => {
    const target = fallThrough(flow, index, labels);
    return target === undefined ? [] : [target];
  };
  switch (step.verb) {
    case 'hangup':
      return [];
    case 'redirect':
      return byLabel(step.fallback);
    case 'gather': {
      if (usesActionHook(step)) return through();
      const out = Object.values(step.branches ?? {}).flatMap(byLabel);
      out.push(...(step.default === undefined ? through() : byLabel(step.default)));
      out.push(...(step.onTimeout === undefined ? through() : byLabel(step.onTimeout)));
      return out;
    }
    case 'dial':
      return [...byLabel(step.onBusy), ...byLabel(step.onNoAnswer), ...byLabel(step.onFailed), ...through()];
    default:
      return through();
  }
}

/** RFC 6901 escaping of one reference token. */
export function escapePointer(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}
