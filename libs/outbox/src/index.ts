export { writeOutbox, outboxInsert } from './outbox-writer';
export type { OutboxEvent, OutboxInsert } from './outbox-writer';
export { OutboxRelay } from './outbox-relay';
export type { OutboxRelayOptions } from './outbox-relay';
export { OutboxStatsRepository } from './outbox-stats.repository';
export type { OutboxBacklog } from './outbox-stats.repository';
