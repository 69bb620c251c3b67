export { CALL_STATUSES, canTransitionCall, isTerminalCall, q850Name, unansweredStatusFor } from './status';
export { appendTimeline, lockCall, transitionCall } from './timeline';
export type { CallEventPayload, CallTransition, TimelineEntry } from './timeline';
