export { writeOutbox } from './outbox-writer';
export type { OutboxEvent } from './outbox-writer';
export { OutboxRelay } from './outbox-relay';
export type { OutboxRelayOptions } from './outbox-relay';
