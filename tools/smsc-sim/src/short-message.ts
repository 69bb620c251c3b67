/**
 * Exact-byte view of submit_sm message content: the raw octets as the ESME sent them, the
 * concatenation header (UDH or SAR TLVs) and a text decoding by data_coding.
 *
 * The smpp library decodes short_message into a string on arrival (lossy for bytes outside the
 * chosen alphabet), so the simulator keeps each PDU's wire bytes and re-reads the body itself.
 */
import { decodeGsm7, decodeUcs2 } from '@gw/sms-text';

const RAW = Symbol.for('smsc-sim.rawPdu');
const PATCHED = Symbol.for('smsc-sim.rawPduCapture');

const HEADER_LENGTH = 16;
const TLV_SAR_MSG_REF_NUM = 0x020c;
const TLV_SAR_TOTAL_SEGMENTS = 0x020e;
const TLV_SAR_SEGMENT_SEQNUM = 0x020f;
const TLV_MESSAGE_PAYLOAD = 0x0424;
const ESM_UDHI = 0x40;

interface PduPrototype {
  fromBuffer(this: object, buffer: Buffer): void;
}

/**
 * Makes every PDU decoded from the wire remember its bytes (under a symbol key, so the library's
 * own `for...in` field walks never see it). Idempotent; affects the whole process.
 */
export function installRawPduCapture(pduClass: { prototype: unknown }): void {
  const proto = pduClass.prototype as PduPrototype & Record<symbol, unknown>;
  if (proto[PATCHED]) return;
  const original = proto.fromBuffer;
  proto.fromBuffer = function (this: object, buffer: Buffer): void {
    original.call(this, buffer);
    Object.defineProperty(this, RAW, { value: buffer, enumerable: false });
  };
  proto[PATCHED] = true;
}

/** The wire bytes of a PDU read after {@link installRawPduCapture}, else undefined. */
export function rawPduOf(pdu: object): Buffer | undefined {
  return (pdu as Record<symbol, Buffer | undefined>)[RAW];
}

/** Octets of the message content and the TLVs of a submit_sm / deliver_sm body. */
export interface SmBody {
  /** short_message octets (sm_length of them), UDH included. */
  shortMessage: Buffer;
  /** TLVs by tag (SMPP 3.4 section 5.3); last occurrence wins. */
  tlvs: Map<number, Buffer>;
}

/**
 * Reads short_message and the TLVs out of a whole submit_sm or deliver_sm PDU (header included),
 * per the body layout of SMPP 3.4 section 4.4.1 / 4.6.1 (identical for both).
 * @throws Error when the body is truncated.
 */
export function parseSmBody(pdu: Buffer): SmBody {
  const end = Math.min(pdu.length, pdu.readUInt32BE(0));
  let offset = HEADER_LENGTH;
  const need = (n: number): void => {
    if (offset + n > end) throw new Error(`PDU body truncated at offset ${offset}`);
  };
  const cstring = (): void => {
    const nul = pdu.indexOf(0, offset);
    if (nul < 0 || nul >= end) throw new Error(`unterminated C-Octet String at offset ${offset}`);
    offset = nul + 1;
  };
  cstring(); // service_type
  need(2);
  offset += 2; // source_addr_ton, source_addr_npi
  cstring(); // source_addr
  need(2);
  offset += 2; // dest_addr_ton, dest_addr_npi
  cstring(); // destination_addr
  need(3);
  offset += 3; // esm_class, protocol_id, priority_flag
  cstring(); // schedule_delivery_time
  cstring(); // validity_period
  need(5);
  offset += 4; // registered_delivery, replace_if_present_flag, data_coding, sm_default_msg_id
  const smLength = pdu.readUInt8(offset++);
  need(smLength);
  const shortMessage = Buffer.from(pdu.subarray(offset, offset + smLength));
  offset += smLength;
  const tlvs = new Map<number, Buffer>();
  while (offset + 4 <= end) {
    const tag = pdu.readUInt16BE(offset);
    const length = pdu.readUInt16BE(offset + 2);
    offset += 4;
    need(length);
    tlvs.set(tag, Buffer.from(pdu.subarray(offset, offset + length)));
    offset += length;
  }
  return { shortMessage, tlvs };
}

/** Concatenation info of one part of a multipart message. */
export interface ConcatInfo {
  /** Reference shared by all parts (8 or 16 bit). */
  ref: number;
  /** Number of parts. */
  total: number;
  /** 1-based index of this part. */
  seq: number;
}

/** Decoded message content of one submit_sm. */
export interface DecodedContent {
  /** The user data as sent (short_message, or message_payload when short_message is empty), UDH included. */
  payload: Buffer;
  /** Text after the UDH, decoded per data_coding; null for binary or undecodable codings. */
  text: string | null;
  /** Concatenation from a UDH IE 0x00 / 0x08 (3GPP TS 23.040 section 9.2.3.24.1/8), when esm_class has UDHI. */
  udh: ConcatInfo | null;
  /** Concatenation from the sar_* TLVs (SMPP 3.4 section 5.3.2.22-24). */
  sar: ConcatInfo | null;
}

/**
 * Splits off the UDH (when esm_class & 0x40), reads concatenation info and decodes the text.
 * data_coding (SMPP 3.4 section 5.2.19): 0 GSM 03.38 default alphabet, 1 IA5/ASCII, 3 Latin-1,
 * 6 ISO-8859-5, 7 ISO-8859-8, 8 UCS-2 BE, 10 ISO-2022-JP, 14 KS C 5601; 2, 4 and 0xF4-style
 * message-class codings with the 8-bit flag are binary (text null).
 */
export function decodeContent(body: SmBody, dataCoding: number, esmClass: number): DecodedContent {
  const payload =
    body.shortMessage.length === 0 && body.tlvs.has(TLV_MESSAGE_PAYLOAD) ? body.tlvs.get(TLV_MESSAGE_PAYLOAD)! : body.shortMessage;
  let userData = payload;
  let udh: ConcatInfo | null = null;
  if (esmClass & ESM_UDHI && payload.length > 0) {
    const udhLength = payload[0]!;
    udh = parseUdhConcat(payload.subarray(1, 1 + udhLength));
    userData = payload.subarray(Math.min(payload.length, 1 + udhLength));
  }
  return { payload, text: decodeText(userData, dataCoding), udh, sar: readSar(body.tlvs) };
}

/** Finds the concatenation IE in UDH information elements (without the leading UDHL octet). */
export function parseUdhConcat(ies: Uint8Array): ConcatInfo | null {
  let i = 0;
  while (i + 2 <= ies.length) {
    const iei = ies[i]!;
    const len = ies[i + 1]!;
    const data = ies.subarray(i + 2, i + 2 + len);
    if (iei === 0x00 && len === 3 && data.length === 3) {
      return { ref: data[0]!, total: data[1]!, seq: data[2]! };
    }
    if (iei === 0x08 && len === 4 && data.length === 4) {
      return { ref: (data[0]! << 8) | data[1]!, total: data[2]!, seq: data[3]! };
    }
    i += 2 + len;
  }
  return null;
}

function readSar(tlvs: Map<number, Buffer>): ConcatInfo | null {
  const ref = tlvs.get(TLV_SAR_MSG_REF_NUM);
  const total = tlvs.get(TLV_SAR_TOTAL_SEGMENTS);
  const seq = tlvs.get(TLV_SAR_SEGMENT_SEQNUM);
  if (!ref || ref.length !== 2 || !total || total.length < 1 || !seq || seq.length < 1) return null;
  return { ref: ref.readUInt16BE(0), total: total[0]!, seq: seq[0]! };
}

const TEXT_DECODER_LABELS: Readonly<Record<number, string>> = {
  6: 'iso-8859-5',
  7: 'iso-8859-8',
  10: 'iso-2022-jp',
  14: 'euc-kr',
};

/** Decodes user data (UDH already removed) by data_coding; null when it is binary or unsupported. */
export function decodeText(bytes: Uint8Array, dataCoding: number): string | null {
  if ((dataCoding & 0xf0) === 0xf0) {
    // Message-class coding group (TS 23.038 section 4): bit 2 set means 8-bit data.
    return dataCoding & 0x04 ? null : decodeGsm7(bytes);
  }
  switch (dataCoding) {
    case 0:
      return decodeGsm7(bytes);
    case 1:
      return Buffer.from(bytes).toString('ascii');
    case 3:
      return Buffer.from(bytes).toString('latin1');
    case 8:
      return decodeUcs2(bytes);
    case 2:
    case 4:
      return null;
    default: {
      const label = TEXT_DECODER_LABELS[dataCoding];
      if (!label) return null;
      try {
        return new TextDecoder(label).decode(bytes);
      } catch {
        return null;
      }
    }
  }
}
