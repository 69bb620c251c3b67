/**
 * Delivery receipt content: SMPP 3.4 Appendix B text and the message_state TLV values
 * (section 5.3.2.35).
 */

/** Receipt `stat:` values (always 7 characters, Appendix B). */
export type ReceiptStat = 'DELIVRD' | 'EXPIRED' | 'DELETED' | 'UNDELIV' | 'ACCEPTD' | 'UNKNOWN' | 'REJECTD' | 'ENROUTE';

/** message_state TLV value for each stat (SMPP 3.4 section 5.3.2.35). */
export const MESSAGE_STATE: Readonly<Record<ReceiptStat, number>> = {
  ENROUTE: 1,
  DELIVRD: 2,
  EXPIRED: 3,
  DELETED: 4,
  UNDELIV: 5,
  ACCEPTD: 6,
  UNKNOWN: 7,
  REJECTD: 8,
};

/** Input for one receipt text. */
export interface ReceiptFields {
  /** The SMSC message id, exactly as returned in submit_sm_resp. */
  messageId: string;
  stat: ReceiptStat;
  /** Network error code, shown as 3 characters (zero-padded). */
  err: string;
  /** Number of messages delivered (0 or 1 here). */
  dlvrd: number;
  submittedAt: Date;
  doneAt: Date;
  /** The message text; the first 20 characters are quoted. */
  text: string | null;
}

/** Formats a Date as YYMMDDhhmm in UTC (Appendix B date fields). */
export function receiptDate(date: Date): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  return (
    p(date.getUTCFullYear() % 100) + p(date.getUTCMonth() + 1) + p(date.getUTCDate()) + p(date.getUTCHours()) + p(date.getUTCMinutes())
  );
}

/**
 * Builds `id:<id> sub:001 dlvrd:<ddd> submit date:<YYMMDDhhmm> done date:<YYMMDDhhmm> stat:<STAT> err:<eee> text:<20 chars>`.
 * Non-printable or non-ASCII characters of the quoted text become '?', so the receipt is plain
 * ASCII whatever the original coding was.
 */
export function formatReceiptText(f: ReceiptFields): string {
  const text = [...(f.text ?? '')]
    .slice(0, 20)
    .map((ch) => (/^[\x20-\x7e]$/.test(ch) ? ch : '?'))
    .join('');
  const err = f.err.padStart(3, '0').slice(-3);
  const dlvrd = String(f.dlvrd).padStart(3, '0');
  return (
    `id:${f.messageId} sub:001 dlvrd:${dlvrd} submit date:${receiptDate(f.submittedAt)} ` +
    `done date:${receiptDate(f.doneAt)} stat:${f.stat} err:${err} text:${text}`
  );
}

/** Parsed receipt text fields (the inverse of {@link formatReceiptText}); null when not a receipt. */
export interface ParsedReceipt {
  id: string;
  sub: string;
  dlvrd: string;
  submitDate: string;
  doneDate: string;
  stat: string;
  err: string;
  text: string;
}

/** Parses Appendix B receipt text. */
export function parseReceiptText(text: string): ParsedReceipt | null {
  const m = /^id:(\S+) sub:(\d{3}) dlvrd:(\d{3}) submit date:(\d{10}) done date:(\d{10}) stat:(\w{7}) err:(\w{3}) text:(.*)$/s.exec(text);
  if (!m) return null;
  return { id: m[1]!, sub: m[2]!, dlvrd: m[3]!, submitDate: m[4]!, doneDate: m[5]!, stat: m[6]!, err: m[7]!, text: m[8]! };
}
