export { canTransitionCall, isTerminalCall, q850Name, unansweredStatusFor } from './status';
export { CALL_STATE_MACHINE, CALL_STATUSES, callStateGraph, callStateMermaid } from './state-machine';
export type { CallStateDef, CallStateEdge, CallStateGraph, CallStateMachine, CallTransitionRule } from './state-machine';
export { appendTimeline, lockCall, transitionCall } from './timeline';
export type { CallEventPayload, CallTransition, TimelineEntry } from './timeline';
export { dialTargetRefusal } from './dial-allowlist';
export type { DialAllowlist } from '@gw/database';
