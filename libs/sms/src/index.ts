export { canTransition, isTerminal, MESSAGE_STATUSES } from './status';
export { readMessage, recordStatus, messageEventPayload } from './record-status';
export type { StatusReport, StatusResult, StatusSource, MessageEventPayload } from './record-status';
export { DEFAULT_MESSAGING_SETTINGS, DEFAULT_REPLY_TEXTS, parseKeyword, replyTextFor } from './keywords';
export type { KeywordSettings, SmsKeyword } from './keywords';
export { applyMoKeyword, MoKeywordRepository } from './mo-keywords';
