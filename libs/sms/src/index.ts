export { canTransition, isTerminal, MESSAGE_STATUSES } from './status';
export { readMessage, recordStatus, messageEventPayload } from './record-status';
export type { StatusReport, StatusResult, StatusSource, MessageEventPayload } from './record-status';
