import { decodeUcs2, withPlus } from '@gw/sms-text';
import { type CallbackFields, CarrierCallbackError } from '../carrier';
import type { DeliveryReport, InboundSms } from '../sms-connector';

/** dlr-mask bits (Kannel user guide, "SMS Push (send-sms) CGI Variables", `dlr-mask`). */
const DLR = { DELIVERED: 1, UNDELIVERED: 2, BUFFERED: 4, SMSC_ACK: 8, SMSC_REJECT: 16 } as const;

/** The carrier's words in a `reply` (%A): a receipt's `stat:`/`err:` (SMPP 3.4 Appendix B) or a submit answer's `ACK/` / `NACK/<code>/<text>`. */
interface CarrierWords {
  status: string | null;
  code: string | null;
  text: string | null;
}

function carrierWords(reply: string): CarrierWords {
  const answer = /^(N?ACK)\/([^/]*)(?:\/(.*))?$/s.exec(reply);
  if (answer) return { status: answer[1]!, code: answer[2] || null, text: answer[3]?.trim() || null };
  return { status: /\bstat:(\S+)/.exec(reply)?.[1] ?? null, code: /\berr:(\S+)/.exec(reply)?.[1] ?? null, text: null };
}

/**
 * Maps a Kannel DLR (smsbox's GET of the dlr-url, with the fields of KANNEL_DLR_ESCAPES: `type`,
 * `reply`, `smscid`, `ts`, next to the gateway's own `msg`, `conn`, `token`) to a gateway status by
 * the `type` bits, strongest first: 1 delivered -> delivered; 2 not delivered -> undelivered (Kannel
 * 1.4.5 also sets bit 32 with it for an EXPIRED receipt); 16 rejected by the SMSC -> failed; 8
 * accepted by the SMSC -> sent; 4 buffered (ENROUTE, ACCEPTD) -> null, no change.
 * `providerMessageId` is `msg`, the gateway message id KannelHttpConnector returned at submit.
 * The carrier's words are kept: a receipt's `stat:` and `err:` (e.g. DELIVRD, 000), or a submit
 * answer's ACK / NACK and SMPP command_status (e.g. NACK, 0x0000000b); without them the raw reply.
 * @throws CarrierCallbackError when `msg` or `type` is missing, or `type` holds none of those bits.
 */
export function parseKannelDlr(fields: CallbackFields): DeliveryReport | null {
  const { msg, type } = fields;
  if (!msg || !type) throw new CarrierCallbackError('DLR lacks msg or type');
  if (!/^\d{1,3}$/.test(type)) throw new CarrierCallbackError(`DLR type ${type} is not a number`);
  const bits = Number(type);
  const reply = (fields.reply ?? '').trim();
  const words = carrierWords(reply);
  const carrierStatus = words.status ?? (reply.slice(0, 100) || `type ${bits}`);
  const report = (status: DeliveryReport['status'], description: string): DeliveryReport => ({
    providerMessageId: msg,
    status,
    carrierStatus,
    carrierCode: words.code,
    description,
  });
  if (bits & DLR.DELIVERED) return report('delivered', 'delivered to the handset');
  if (bits & DLR.UNDELIVERED) return report('undelivered', `carrier reported ${carrierStatus}`);
  if (bits & DLR.SMSC_REJECT) return report('failed', `rejected by the SMSC at submit${words.text ? `: ${words.text}` : ''}`);
  if (bits & DLR.SMSC_ACK) return report('sent', 'accepted by the SMSC');
  if (bits & DLR.BUFFERED) return null;
  throw new CarrierCallbackError(`unknown DLR type ${type}`);
}

/**
 * Decodes the MO octets by Kannel's coding (%c) and charset (%C): coding 2 (UCS-2) is UTF-16BE;
 * coding 0 is text Kannel already converted from the SMSC's alphabet to its charset (UTF-8 in
 * Kannel 1.4.5; WINDOWS-1252 with mo-recode); coding 1 is 8-bit data, shown octet for octet.
 */
function decodeMoText(coding: string | undefined, charset: string | undefined, raw: Buffer): string {
  const cs = (charset ?? '').toUpperCase();
  if (coding === '2' || cs === 'UTF-16BE') return decodeUcs2(raw);
  if (coding === '1') return raw.toString('latin1');
  if (cs === '' || cs === 'UTF-8') return raw.toString('utf8');
  try {
    return new TextDecoder(cs).decode(raw);
  } catch {
    throw new CarrierCallbackError(`MO charset ${charset} is not supported`);
  }
}

/**
 * Parses Kannel's MO GET (the sms-service get-url of infra/kannel/kannel.conf: `id` %I, `from` %p,
 * `to` %P, `coding` %c, `charset` %C, `hex` %e, the message octets as hex). `id` is Kannel's message
 * UUID, the same on each of its HTTP retries. Digit addresses become E.164 (`+` added).
 * @throws CarrierCallbackError when id, from or to is missing, `hex` is not hex, or the charset is unknown.
 */
export function parseKannelMo(fields: CallbackFields): InboundSms {
  const { id, from, to } = fields;
  if (!id || !from || !to) throw new CarrierCallbackError('MO lacks id, from or to');
  const hex = fields.hex ?? '';
  if (!/^([0-9a-fA-F]{2})*$/.test(hex)) throw new CarrierCallbackError('MO hex is not hex');
  const text = decodeMoText(fields.coding, fields.charset, Buffer.from(hex, 'hex'));
  return { providerMessageId: id, from: withPlus(from), to: withPlus(to), text };
}
