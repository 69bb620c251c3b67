import { escapePointer, fallsToAStep, labelIndex, labelReferences, successors, usesActionHook } from './graph';
import { LIMITS } from './limits';
import type { Flow, FlowError, GatherStep } from './types';

/**
 * Checks a schema-valid flow for what the schema cannot express: labels, gather digit
 * ranges and exits, reachability. Errors come in step order.
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
    if (step.verb === 'gather') errors.push(...checkGather(flow, i, step));
  });

  const all = perStep.flat();
  if (all.some((e) => e.code === 'missing_label')) return all; // reachability would only echo the broken jumps
  for (const i of unreachable(flow, labels)) {
    perStep[i].push({ path: `/steps/${i}`, code: 'unreachable_step', message: `no path from the first step reaches step ${i}` });
  }
  return perStep.flat();
}

/** Effective digit bounds of a gather, defaults applied. */
export function digitBounds(step: GatherStep): { minDigits: number; maxDigits: number } {
  if (step.numDigits !== undefined) return { minDigits: step.numDigits, maxDigits: step.numDigits };
  return {
    minDigits: step.minDigits ?? LIMITS.gather.minDigitsDefault,
    maxDigits: step.maxDigits ?? LIMITS.gather.maxDigitsDefault,
  };
}

function checkGather(flow: Flow, i: number, step: GatherStep): FlowError[] {
  const errors: FlowError[] = [];
  const at = `/steps/${i}`;
  const { minDigits, maxDigits } = digitBounds(step);
  if (minDigits > maxDigits) {
    const by = step.maxDigits === undefined ? ` (${LIMITS.gather.maxDigitsDefault} by default)` : '';
    errors.push({
      path: `${at}/minDigits`,
      code: 'out_of_range',
      message: `"minDigits" (${minDigits}) exceeds "maxDigits" (${maxDigits}${by})`,
    });
  }
  const finishKey = step.finishOnKey ?? LIMITS.gather.finishOnKeyDefault;
  for (const key of Object.keys(step.branches ?? {})) {
    const why =
      finishKey !== '' && key.includes(finishKey)
        ? `it contains the finish key "${finishKey}", which ends collection and is never part of the digits`
        : key.length < minDigits || key.length > maxDigits
          ? `gather collects ${minDigits === maxDigits ? minDigits : `${minDigits} to ${maxDigits}`} digit(s)`
          : undefined;
    if (why !== undefined) {
      errors.push({
        path: `${at}/branches/${escapePointer(key)}`,
        code: 'unmatchable_branch',
        message: `branch "${key}" can never match: ${why}`,
      });
    }
  }
  if (!usesActionHook(step) && !fallsToAStep(flow, i)) {
    const missing: string[] = [];
    if (step.onTimeout === undefined) missing.push('no digits are entered ("onTimeout")');
    if (step.default === undefined) missing.push('the digits match no branch ("default")');
    if (missing.length > 0) {
      errors.push({
        path: at,
        code: 'gather_no_way_out',
        message: `gather is the last step and has no "next", so nothing follows when ${missing.join(' or when ')}; add those labels, "next", or a following step`,
      });
    }
  }
  return errors;
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
