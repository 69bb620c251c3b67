import type { CallStatus } from '@gw/database';

/**
 * Progress rank of call statuses (Twilio's vocabulary). A transition applies only when it raises the
 * rank: statuses never move backwards and terminal ones (rank 4) are never overwritten.
 */
const RANK: Record<CallStatus, number> = {
  queued: 0,
  initiated: 1,
  ringing: 2,
  'in-progress': 3,
  completed: 4,
  busy: 4,
  'no-answer': 4,
  failed: 4,
  canceled: 4,
};

export const CALL_STATUSES = Object.keys(RANK) as CallStatus[];

/** completed, busy, no-answer, failed, canceled. */
export function isTerminalCall(status: CallStatus): boolean {
  return RANK[status] === 4;
}

/** Whether moving from `from` to `to` is progress. */
export function canTransitionCall(from: CallStatus, to: CallStatus): boolean {
  return RANK[to] > RANK[from];
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
