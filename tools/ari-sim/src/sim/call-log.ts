/**
 * What happened on each channel, for tests to assert on (GET /_sim/calls): one record per
 * channel with an ordered list of actions (originate, answered, play with its media, record,
 * DTMF pressed by the far end or sent by the app, bridge moves, hangup and cause).
 */
import { ariTimestamp } from './time';

/** One thing that happened on a channel. `action` names it; other fields depend on the action. */
export interface CallAction {
  at: string;
  action: string;
  [detail: string]: unknown;
}

/** The life of one channel. */
export interface CallRecord {
  channelId: string;
  name: string;
  direction: 'outbound' | 'inbound';
  /** Dial endpoint (outbound) or the simulated trunk endpoint (inbound). */
  endpoint: string;
  /** Dialed number (outbound) or called number (inbound). */
  number: string;
  /** Caller number (inbound) or the callerId given to originate. */
  from: string;
  app?: string;
  createdAt: string;
  answeredAt?: string;
  endedAt?: string;
  cause?: number;
  causeTxt?: string;
  /** Who ended the call: the app (DELETE /channels), the far end (scenario/control API) or the dial outcome. */
  endedBy?: 'app' | 'far-end' | 'dial' | 'sim';
  actions: CallAction[];
}

/** Filters of GET /_sim/calls. */
export interface CallFilter {
  channelId?: string;
  number?: string;
  app?: string;
}

/** Bounded in-memory log (oldest records dropped past `limit`). */
export class CallLog {
  private readonly records = new Map<string, CallRecord>();
  private listener: ((record: CallRecord, action: CallAction) => void) | undefined;

  constructor(private readonly limit = 2000) {}

  /** Sets a listener called for every action added (the server logs them). */
  onAction(listener: (record: CallRecord, action: CallAction) => void): void {
    this.listener = listener;
  }

  /** Starts the record of a new channel. */
  open(record: Omit<CallRecord, 'actions' | 'createdAt'>): CallRecord {
    const full: CallRecord = { ...record, createdAt: ariTimestamp(), actions: [] };
    this.records.set(record.channelId, full);
    if (this.records.size > this.limit) {
      const oldest = this.records.keys().next().value;
      if (oldest !== undefined) this.records.delete(oldest);
    }
    return full;
  }

  /** Appends an action to a channel's record (ignored for unknown channels). */
  add(channelId: string, action: string, details: Record<string, unknown> = {}): void {
    const record = this.records.get(channelId);
    if (!record) return;
    const entry: CallAction = { at: ariTimestamp(), action, ...details };
    record.actions.push(entry);
    this.listener?.(record, entry);
  }

  /** Updates top-level fields of a record. */
  update(channelId: string, fields: Partial<CallRecord>): void {
    const r = this.records.get(channelId);
    if (r) Object.assign(r, fields);
  }

  /** Records matching the filter, oldest first. */
  list(filter: CallFilter = {}): CallRecord[] {
    return [...this.records.values()].filter(
      (r) =>
        (filter.channelId === undefined || r.channelId === filter.channelId) &&
        (filter.number === undefined || r.number === filter.number || r.from === filter.number) &&
        (filter.app === undefined || r.app === filter.app),
    );
  }

  /** Forgets everything. */
  clear(): void {
    this.records.clear();
  }
}
