export { writeOutbox, outboxInsert } from './outbox-writer';
export type { OutboxEvent, OutboxInsert } from './outbox-writer';
export { OutboxRelay } from './outbox-relay';
export type { OutboxRelayOptions } from './outbox-relay';
