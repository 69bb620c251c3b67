import type { MessageStatus } from '@gw/database';

/**
 * Progress rank of each message status. A transition is applied only when it raises the rank,
 * so statuses never move backwards and terminal ones (rank 3) are never overwritten, whatever
 * order or how many times carrier reports arrive.
 */
const RANK: Record<MessageStatus, number> = {
  queued: 0,
  sending: 1,
  sent: 2,
  delivered: 3,
  undelivered: 3,
  failed: 3,
  received: 3,
};

export const MESSAGE_STATUSES = Object.keys(RANK) as MessageStatus[];

/** True for delivered, undelivered, failed and received. */
export function isTerminal(status: MessageStatus): boolean {
  return RANK[status] === 3;
}

/** Whether moving from `from` to `to` is progress (see RANK). */
export function canTransition(from: MessageStatus, to: MessageStatus): boolean {
  return RANK[to] > RANK[from];
}
