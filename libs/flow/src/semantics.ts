import { fallsToAStep, labelIndex, labelReferences, successors } from './graph';
import type { Flow, FlowError } from './types';
import { verbOf } from './verbs';

/**
 * Checks a schema-valid flow for what the schema cannot express: labels, reachability, and
 * each verb's own checks (gather digit ranges and exits). Errors come in step order.
 */
export function checkSemantics(flow: Flow): FlowError[] {
  const perStep: FlowError[][] = flow.steps.map(() => []);
  const labels = labelIndex(flow);

  flow.steps.forEach((step, i) => {
    const errors = perStep[i];
    if (step.label !== undefined && labels.get(step.label) !== i) {
      errors.push({
        path: `/steps/${i}/label`,
        code: 'duplicate_label',
        message: `label "${step.label}" is already used by step ${labels.get(step.label)}`,
      });
    }
    for (const { field, label } of labelReferences(step)) {
      if (!labels.has(label)) errors.push({ path: `/steps/${i}/${field}`, code: 'missing_label', message: `no step has label "${label}"` });
    }
    errors.push(...(verbOf(step).check?.(step, { path: `/steps/${i}`, fallsToAStep: fallsToAStep(flow, i) }) ?? []));
  });

  const all = perStep.flat();
  if (all.some((e) => e.code === 'missing_label')) return all; // reachability would only echo the broken jumps
  for (const i of unreachable(flow, labels)) {
    perStep[i].push({ path: `/steps/${i}`, code: 'unreachable_step', message: `no path from the first step reaches step ${i}` });
  }
  return perStep.flat();
}

/** Indexes of steps no path from step 0 reaches. */
function unreachable(flow: Flow, labels: Map<string, number>): number[] {
  const seen = new Set<number>([0]);
  const queue = [0];
  while (queue.length > 0) {
    const i = queue.shift() as number;
    for (const target of successors(flow, i, labels)) {
      if (target !== 'end' && !seen.has(target)) {
        seen.add(target);
        queue.push(target);
      }
    }
  }
  return flow.steps.map((_, i) => i).filter((i) => !seen.has(i));
}
