import type { CallStatus } from '@gw/database';
import { CALL_STATE_MACHINE } from './state-machine';

const TERMINAL = new Set(CALL_STATE_MACHINE.states.filter((s) => s.terminal).map((s) => s.name));
const ALLOWED = new Set(CALL_STATE_MACHINE.transitions.flatMap((row) => row.from.map((from) => `${from}>${row.to}`)));

/** Whether `status` is final: `terminal` in CALL_STATE_MACHINE (completed, busy, no-answer, failed, canceled). */
export function isTerminalCall(status: CallStatus): boolean {
  return TERMINAL.has(status);
}

/**
 * Whether a call may move from `from` to `to`: some row of CALL_STATE_MACHINE allows it, whatever the
 * event. Statuses never move backwards and terminal ones are never left.
 */
export function canTransitionCall(from: CallStatus, to: CallStatus): boolean {
  return ALLOWED.has(`${from}>${to}`);
}

/**
 * Q.850 cause codes (as Asterisk reports them in ChannelDestroyed `cause`) to the status a call that
 * never answered ends with: 17 USER_BUSY -> busy; 18/19 no response/answer -> no-answer; anything
 * else (21 CALL_REJECTED, 1 UNALLOCATED, 34 congestion...) -> failed.
 */
export function unansweredStatusFor(cause: number): CallStatus {
  if (cause === 17) return 'busy';
  if (cause === 18 || cause === 19) return 'no-answer';
  return 'failed';
}

const Q850: Record<number, string> = {
  1: 'UNALLOCATED',
  3: 'NO_ROUTE_DESTINATION',
  16: 'NORMAL_CLEARING',
  17: 'USER_BUSY',
  18: 'NO_USER_RESPONSE',
  19: 'NO_ANSWER',
  21: 'CALL_REJECTED',
  27: 'DESTINATION_OUT_OF_ORDER',
  28: 'INVALID_NUMBER_FORMAT',
  31: 'NORMAL_UNSPECIFIED',
  34: 'NORMAL_CIRCUIT_CONGESTION',
  38: 'NETWORK_OUT_OF_ORDER',
  41: 'NORMAL_TEMPORARY_FAILURE',
  102: 'RECOVERY_ON_TIMER_EXPIRE',
};

/** Q.850 cause name as Asterisk spells it in its cause table (e.g. 17 -> USER_BUSY); `CAUSE_<n>` when unlisted. */
export function q850Name(cause: number): string {
  return Q850[cause] ?? `CAUSE_${cause}`;
}
