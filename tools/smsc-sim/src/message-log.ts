/** In-memory record of every submit_sm the simulator received, with the receipts it sent. */
import type { ConcatInfo } from './short-message';
import type { ReceiptStat } from './receipt';

/** One receipt sent (or queued for a receiver that is not bound yet). */
export interface ReceiptRecord {
  stat: ReceiptStat;
  /** ISO-8601 time the deliver_sm was written; null while it waits for a receiver bind. */
  sentAt: string | null;
}

/** One submit_sm as seen on the wire, plus what the simulator did with it. */
export interface MessageRecord {
  /** SMSC message id from submit_sm_resp; null when the submit was rejected. */
  messageId: string | null;
  /** system_id of the submitting bind. */
  systemId: string;
  source: string;
  destination: string;
  sourceTon: number;
  sourceNpi: number;
  destTon: number;
  destNpi: number;
  serviceType: string;
  dataCoding: number;
  esmClass: number;
  registeredDelivery: number;
  /** short_message octets (message_payload when short_message was empty), UDH included, lower-case hex. */
  shortMessageHex: string;
  /** Text after the UDH, decoded per data_coding; null for binary codings. */
  text: string | null;
  /** Concatenation info from the UDH (esm_class & 0x40). */
  udh: ConcatInfo | null;
  /** Concatenation info from sar_* TLVs. */
  sar: ConcatInfo | null;
  receivedAt: string;
  /** submit_sm_resp command_status (0 = ESME_ROK). */
  commandStatus: number;
  /** Scenario outcome applied, or 'throttled' when the submit_sm rate limit refused it. */
  outcome: string;
  /** `match` of the rule that applied, 'default', or 'limit' for a throttled submit_sm. */
  rule: string;
  receipts: ReceiptRecord[];
}

/** Bounded log; the oldest entries are dropped beyond `limit`. */
export class MessageLog {
  private records: MessageRecord[] = [];

  /** @param limit maximum records kept (default 100000). */
  constructor(private readonly limit = 100_000) {}

  add(r: MessageRecord): void {
    this.records.push(r);
    if (this.records.length > this.limit) this.records.splice(0, this.records.length - this.limit);
  }

  /**
   * Records in arrival order, narrowed by every filter given: `destination` matches with or without
   * a leading '+', `systemId` exactly (the submitting bind's system_id).
   */
  list(filter: { destination?: string; systemId?: string } = {}): MessageRecord[] {
    const { destination, systemId } = filter;
    const want = destination === undefined ? undefined : strip(destination);
    return this.records.filter(
      (r) => (want === undefined || strip(r.destination) === want) && (systemId === undefined || r.systemId === systemId),
    );
  }

  byId(messageId: string): MessageRecord | undefined {
    return this.records.find((r) => r.messageId === messageId);
  }

  clear(): void {
    this.records = [];
  }
}

function strip(n: string): string {
  const t = n.trim();
  return t.startsWith('+') ? t.slice(1) : t;
}
