/** Building submit_sm PDUs for one MT: addresses, text encoding, concatenation and validity period. */
import { PermanentError } from '@gw/queues';
import { SEGMENT_LIMITS, type SmsEncoding, encodeGsm7, encodeUcs2, isAlphanumericSenderId, isE164 } from '@gw/sms-text';
import type { SubmitRequest } from '../sms-connector';

/** How a text longer than one segment is sent. */
export type Concatenation = 'udh' | 'message_payload';

/** An SMPP address with its type of number and numbering plan (SMPP 3.4 sections 5.2.5, 5.2.6). */
export interface SmppAddress {
  addr: string;
  ton: number;
  npi: number;
}

const TON_UNKNOWN = 0;
const TON_INTERNATIONAL = 1;
const TON_ALPHANUMERIC = 5;
const NPI_UNKNOWN = 0;
const NPI_ISDN = 1;
const ESM_UDHI = 0x40;
const DATA_CODING: Readonly<Record<SmsEncoding, number>> = { 'GSM-7': 0x00, 'UCS-2': 0x08 };
/** Concatenation with an 8-bit reference carries at most this many parts (3GPP TS 23.040 section 9.2.3.24.1). */
const MAX_PARTS = 255;
/** Largest relative validity period SMPP 3.4 section 7.1.1 can say without months: 99 days 23:59:59. */
const MAX_RELATIVE_S = 99 * 86_400 + 86_399;

/**
 * source_addr for a sender: E.164 (`+` stripped) as TON 1 (international) NPI 1 (E.164); an
 * alphanumeric sender id as TON 5 NPI 0; a digits-only short code as TON 0 (unknown) NPI 1, for
 * the SMSC to interpret.
 * @throws PermanentError (`smpp_invalid_source`) for anything else.
 */
export function sourceAddress(from: string): SmppAddress {
  if (isE164(from)) return { addr: from.slice(1), ton: TON_INTERNATIONAL, npi: NPI_ISDN };
  if (isAlphanumericSenderId(from)) return { addr: from, ton: TON_ALPHANUMERIC, npi: NPI_UNKNOWN };
  if (/^\d{1,15}$/.test(from)) return { addr: from, ton: TON_UNKNOWN, npi: NPI_ISDN };
  throw new PermanentError(`sender ${from} is neither E.164, a short code nor an alphanumeric sender id`, 'smpp_invalid_source');
}

/**
 * destination_addr for an E.164 recipient: `+` stripped, TON 1 NPI 1.
 * @throws PermanentError (`smpp_invalid_destination`) when `to` is not E.164.
 */
export function destinationAddress(to: string): SmppAddress {
  if (!isE164(to)) throw new PermanentError(`recipient ${to} is not E.164`, 'smpp_invalid_destination');
  return { addr: to.slice(1), ton: TON_INTERNATIONAL, npi: NPI_ISDN };
}

/**
 * validity_period as an SMPP relative time (SMPP 3.4 section 7.1.1, `YYMMDDhhmmss000R`), expressed
 * in days, hours, minutes and seconds; at most 99 days 23:59:59 (longer periods are clamped).
 * @param seconds the validity in s; null or below 1 means the SMSC default (empty string).
 */
export function relativeValidityPeriod(seconds: number | null): string {
  if (seconds === null || seconds < 1) return '';
  const s = Math.min(Math.floor(seconds), MAX_RELATIVE_S);
  const p = (n: number): string => String(n).padStart(2, '0');
  const days = Math.floor(s / 86_400);
  const hours = Math.floor((s % 86_400) / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  return `0000${p(days)}${p(hours)}${p(minutes)}${p(s % 60)}000R`;
}

/**
 * Octets of `text` in SMPP short_message form: GSM-7 as unpacked septets, one per octet
 * (3GPP TS 23.038; extension characters as escape + code), UCS-2 as UTF-16BE.
 * @throws PermanentError (`smpp_encoding`) when GSM-7 is asked for a character outside GSM 03.38.
 */
export function encodeText(text: string, encoding: SmsEncoding): Buffer {
  if (encoding === 'UCS-2') return encodeUcs2(text);
  const septets = encodeGsm7(text);
  if (!septets) throw new PermanentError('text has characters outside the GSM 03.38 alphabet but was sent as GSM-7', 'smpp_encoding');
  return septets;
}

/**
 * Splits `text` into the parts of a concatenated SMS (3GPP TS 23.040 section 9.2.3.24.1): one part
 * when it fits a single segment (160 septets / 70 UCS-2 code units), else parts of at most 153
 * septets / 67 code units. A GSM-7 escape pair or a UTF-16 surrogate pair is never split: it
 * moves whole to the next part. Agrees with `analyzeText` of @gw/sms-text when its encoding is the
 * one asked for.
 * @throws PermanentError (`smpp_encoding`) for GSM-7 text outside GSM 03.38.
 */
export function splitText(text: string, encoding: SmsEncoding): string[] {
  const chars = Array.from(text);
  const costs = chars.map((c) => (encoding === 'UCS-2' ? c.length : encodeText(c, 'GSM-7').length));
  const limits = SEGMENT_LIMITS[encoding];
  if (costs.reduce((a, b) => a + b, 0) <= limits.single) return [text];
  const parts: string[] = [];
  let current = '';
  let used = 0;
  chars.forEach((c, i) => {
    if (used + costs[i] > limits.multipart) {
      parts.push(current);
      current = '';
      used = 0;
    }
    current += c;
    used += costs[i];
  });
  parts.push(current);
  return parts;
}

/** The concatenation UDH: UDHL 5, IEI 0x00 (8-bit reference), length 3, reference, total, sequence (3GPP TS 23.040 section 9.2.3.24.1). */
export function concatUdh(reference: number, total: number, seq: number): Buffer {
  return Buffer.from([0x05, 0x00, 0x03, reference & 0xff, total, seq]);
}

/**
 * The submit_sm field sets for one MT, in sending order. A text that fits one segment is one
 * submit_sm. A longer one is either several submit_sm with esm_class 0x40 and a concatenation UDH
 * (`udh`, sharing `reference`), or one submit_sm with empty short_message and the whole text in
 * the message_payload TLV (`message_payload`, SMPP 3.4 section 5.3.2.32). registered_delivery is 1
 * (final receipt) on the last part only, so the receipt correlates with that part's message_id.
 * data_coding 0 (SMSC default alphabet, GSM 03.38) for GSM-7, 8 for UCS-2.
 * @param reference the 8-bit concatenation reference (0-255).
 * @throws PermanentError for a bad sender or recipient, GSM-7 text outside the alphabet, or more than 255 parts.
 */
export function submitSmBodies(req: SubmitRequest, concatenation: Concatenation, reference: number): Record<string, unknown>[] {
  const source = sourceAddress(req.from);
  const destination = destinationAddress(req.to);
  const base = {
    service_type: '',
    source_addr_ton: source.ton,
    source_addr_npi: source.npi,
    source_addr: source.addr,
    dest_addr_ton: destination.ton,
    dest_addr_npi: destination.npi,
    destination_addr: destination.addr,
    protocol_id: 0,
    priority_flag: 0,
    schedule_delivery_time: '',
    validity_period: relativeValidityPeriod(req.validityPeriodS),
    replace_if_present_flag: 0,
    data_coding: DATA_CODING[req.encoding],
    sm_default_msg_id: 0,
  };
  const parts = splitText(req.body, req.encoding);
  if (parts.length === 1) {
    return [{ ...base, esm_class: 0, registered_delivery: 1, short_message: encodeText(req.body, req.encoding) }];
  }
  if (concatenation === 'message_payload') {
    return [
      {
        ...base,
        esm_class: 0,
        registered_delivery: 1,
        short_message: Buffer.alloc(0),
        message_payload: encodeText(req.body, req.encoding),
      },
    ];
  }
  if (parts.length > MAX_PARTS) {
    throw new PermanentError(`text needs ${parts.length} segments; concatenation allows ${MAX_PARTS}`, 'smpp_too_long');
  }
  return parts.map((part, i) => ({
    ...base,
    esm_class: ESM_UDHI,
    registered_delivery: i === parts.length - 1 ? 1 : 0,
    short_message: Buffer.concat([concatUdh(reference, parts.length, i + 1), encodeText(part, req.encoding)]),
  }));
}
