/** SMPP delivery receipts: the Appendix B text and the receipted_message_id / message_state TLVs. */
import { CarrierCallbackError } from '../carrier';
import type { DeliveryReport } from '../sms-connector';
import { type DeliverSm, TLV, contentOf, tlvInt, tlvString } from './deliver-sm';

/** Fields of a receipt text (SMPP 3.4 Appendix B); absent fields are null. */
export interface ReceiptText {
  id: string | null;
  sub: string | null;
  dlvrd: string | null;
  submitDate: string | null;
  doneDate: string | null;
  stat: string | null;
  err: string | null;
  text: string | null;
}

/** What a receipt deliver_sm carries, from its text and its TLVs. */
export interface ReceiptInput {
  /** short_message (or message_payload) read as ASCII; may be empty when the SMSC sends only TLVs. */
  text: string;
  /** receipted_message_id TLV (SMPP 3.4 section 5.3.2.12), or null. */
  receiptedMessageId: string | null;
  /** message_state TLV (SMPP 3.4 section 5.3.2.35), or null. */
  messageState: number | null;
}

/** message_state values to the Appendix B stat words (SMPP 3.4 section 5.3.2.35). */
const STATE_WORDS: Readonly<Record<number, string>> = {
  1: 'ENROUTE',
  2: 'DELIVRD',
  3: 'EXPIRED',
  4: 'DELETED',
  5: 'UNDELIV',
  6: 'ACCEPTD',
  7: 'UNKNOWN',
  8: 'REJECTD',
};
const UNDELIVERED = new Set(['UNDELIV', 'EXPIRED', 'REJECTD', 'DELETED']);

/**
 * Reads `id:... sub:... dlvrd:... submit date:YYMMDDhhmm done date:YYMMDDhhmm stat:DELIVRD
 * err:000 text:...` (SMPP 3.4 Appendix B). Field names are matched case-insensitively and in any
 * order (SMSCs differ: `Text:`, missing `sub:`); `text:` runs to the end and is never searched for
 * other fields.
 */
export function parseReceiptText(text: string): ReceiptText {
  const at = text.search(/(^|\s)text:/i);
  const head = at < 0 ? text : text.slice(0, at);
  const field = (name: string): string | null => new RegExp(`(?:^|\\s)${name}:(\\S*)`, 'i').exec(head)?.[1] || null;
  const date = (name: string): string | null => new RegExp(`(?:^|\\s)${name}:(\\d+)`, 'i').exec(head)?.[1] ?? null;
  return {
    id: field('id'),
    sub: field('sub'),
    dlvrd: field('dlvrd'),
    submitDate: date('submit date'),
    doneDate: date('done date'),
    stat: field('stat')?.toUpperCase() ?? null,
    err: field('err'),
    text: at < 0 ? null : text.slice(at).replace(/^\s?text:/i, ''),
  };
}

/**
 * Normalizes a delivery receipt. The receipted_message_id and message_state TLVs win over the
 * text's `id:` and `stat:` when both are present. DELIVRD -> delivered; UNDELIV, EXPIRED, REJECTD,
 * DELETED -> undelivered; ACCEPTD, ENROUTE, UNKNOWN (and any other word) are not final and give
 * null: acknowledged, nothing to record. `carrierStatus` is the stat word; `carrierCode` the `err:`
 * field verbatim (`000` included, as Jasmin and Kannel pass it on), null when absent.
 * @throws CarrierCallbackError when neither the TLV nor the text gives a message id or a state.
 */
export function parseSmppReceipt(input: ReceiptInput): DeliveryReport | null {
  const parsed = parseReceiptText(input.text);
  const id = input.receiptedMessageId || parsed.id;
  const stat = (input.messageState !== null ? STATE_WORDS[input.messageState] : undefined) ?? parsed.stat;
  if (!id) throw new CarrierCallbackError('receipt has neither receipted_message_id nor id:');
  if (!stat) throw new CarrierCallbackError(`receipt for ${id} has neither message_state nor stat:`);
  const carrierCode = parsed.err;
  if (stat === 'DELIVRD') {
    return { providerMessageId: id, status: 'delivered', carrierStatus: stat, carrierCode, description: 'delivered to the handset' };
  }
  if (UNDELIVERED.has(stat)) {
    return { providerMessageId: id, status: 'undelivered', carrierStatus: stat, carrierCode, description: `carrier reported ${stat}` };
  }
  return null;
}

/** The receipt fields of a deliver_sm: its content as ASCII text plus the two TLVs. */
export function receiptInput(d: DeliverSm): ReceiptInput {
  return {
    text: contentOf(d).toString('latin1'),
    receiptedMessageId: tlvString(d, TLV.receiptedMessageId),
    messageState: tlvInt(d, TLV.messageState),
  };
}
