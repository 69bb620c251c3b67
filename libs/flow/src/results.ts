import type { DialCallStatus, GatherReason, StepResult } from './commands';
import { FlowRuntimeError } from './errors';

const GATHER_REASONS: readonly GatherReason[] = ['num_digits', 'finish_key', 'timeout', 'inter_digit_timeout', 'max_digits'];
const DIAL_STATUSES: readonly DialCallStatus[] = ['completed', 'busy', 'no-answer', 'failed', 'canceled'];
const DIGITS = /^[0-9*#A-D]{0,64}$/;

/** Throws `bad_result` unless `result` is a well-formed {@link StepResult}. */
export function checkResult(result: StepResult): void {
  const r = result as unknown as Record<string, unknown> | null;
  const bad = (why: string): never => {
    throw new FlowRuntimeError('bad_result', why);
  };
  if (r === null || typeof r !== 'object') return bad('a result must be an object');
  switch (r.kind) {
    case 'done':
    case 'hungup':
      return;
    case 'gathered':
      if (typeof r.digits !== 'string' || !DIGITS.test(r.digits)) bad('"digits" must be a string of up to 64 DTMF keys');
      if (!GATHER_REASONS.includes(r.reason as GatherReason)) bad(`"reason" must be one of ${GATHER_REASONS.join(', ')}`);
      return;
    case 'dialed':
      if (!DIAL_STATUSES.includes(r.status as DialCallStatus)) bad(`"status" must be one of ${DIAL_STATUSES.join(', ')}`);
      if (r.durationS !== undefined && !isDuration(r.durationS)) bad('"durationS" must be a non-negative number');
      return;
    case 'recorded':
      if (typeof r.recordingId !== 'string' || r.recordingId === '') bad('"recordingId" must be a non-empty string');
      if (!isDuration(r.durationS)) bad('"durationS" must be a non-negative number');
      return;
    case 'fetched':
      if (typeof r.ok !== 'boolean') bad('"ok" must be a boolean');
      return;
    default:
      return bad(`unknown result kind ${JSON.stringify(r.kind)}`);
  }
}

function isDuration(value: unknown): boolean {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}
