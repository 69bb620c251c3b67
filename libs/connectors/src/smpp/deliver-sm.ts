/** The fields of a deliver_sm read from its wire bytes (SMPP 3.4 section 4.6.1). */

/** TLV tags this adapter reads or writes (SMPP 3.4 section 5.3.2). */
export const TLV = {
  receiptedMessageId: 0x001e,
  userMessageReference: 0x0204,
  sarMsgRefNum: 0x020c,
  sarTotalSegments: 0x020e,
  sarSegmentSeqnum: 0x020f,
  messagePayload: 0x0424,
  messageState: 0x0427,
} as const;

/** One deliver_sm: addresses, esm_class, data_coding, the short_message octets and the TLVs by tag. */
export interface DeliverSm {
  sequenceNumber: number;
  serviceType: string;
  sourceAddrTon: number;
  sourceAddrNpi: number;
  sourceAddr: string;
  destAddrTon: number;
  destAddrNpi: number;
  destinationAddr: string;
  esmClass: number;
  protocolId: number;
  registeredDelivery: number;
  dataCoding: number;
  /** short_message octets (sm_length of them), UDH included. */
  shortMessage: Buffer;
  /** TLVs by tag; the last occurrence wins. */
  tlvs: Map<number, Buffer>;
}

const HEADER_LENGTH = 16;
const DELIVER_SM = 0x00000005;

/**
 * Reads a whole deliver_sm PDU (header included) per SMPP 3.4 section 4.6.1: C-Octet strings are
 * read as ASCII, short_message and TLV values as octets.
 * @throws Error when it is not a deliver_sm or the body is truncated.
 */
export function parseDeliverSm(pdu: Buffer): DeliverSm {
  if (pdu.length < HEADER_LENGTH || pdu.readUInt32BE(4) !== DELIVER_SM) throw new Error('not a deliver_sm PDU');
  const end = Math.min(pdu.length, pdu.readUInt32BE(0));
  let offset = HEADER_LENGTH;
  const need = (n: number): void => {
    if (offset + n > end) throw new Error(`deliver_sm truncated at offset ${offset}`);
  };
  const cstring = (): string => {
    const nul = pdu.indexOf(0, offset);
    if (nul < 0 || nul >= end) throw new Error(`unterminated C-Octet String at offset ${offset}`);
    const value = pdu.toString('ascii', offset, nul);
    offset = nul + 1;
    return value;
  };
  const octet = (): number => {
    need(1);
    return pdu.readUInt8(offset++);
  };
  const serviceType = cstring();
  const sourceAddrTon = octet();
  const sourceAddrNpi = octet();
  const sourceAddr = cstring();
  const destAddrTon = octet();
  const destAddrNpi = octet();
  const destinationAddr = cstring();
  const esmClass = octet();
  const protocolId = octet();
  octet(); // priority_flag
  cstring(); // schedule_delivery_time
  cstring(); // validity_period
  const registeredDelivery = octet();
  octet(); // replace_if_present_flag
  const dataCoding = octet();
  octet(); // sm_default_msg_id
  const smLength = octet();
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
  return {
    sequenceNumber: pdu.readUInt32BE(12),
    serviceType,
    sourceAddrTon,
    sourceAddrNpi,
    sourceAddr,
    destAddrTon,
    destAddrNpi,
    destinationAddr,
    esmClass,
    protocolId,
    registeredDelivery,
    dataCoding,
    shortMessage,
    tlvs,
  };
}

/** The message content: short_message, or the message_payload TLV when short_message is empty (SMPP 3.4 section 5.3.2.32). */
export function contentOf(d: DeliverSm): Buffer {
  const payload = d.tlvs.get(TLV.messagePayload);
  return d.shortMessage.length === 0 && payload ? payload : d.shortMessage;
}

/** A C-Octet String TLV (e.g. receipted_message_id) without its NUL, or null when absent. */
export function tlvString(d: DeliverSm, tag: number): string | null {
  const v = d.tlvs.get(tag);
  if (!v) return null;
  const nul = v.indexOf(0);
  return v.toString('ascii', 0, nul < 0 ? v.length : nul);
}

/** An unsigned integer TLV of 1, 2 or 4 octets (e.g. message_state), or null when absent or of another size. */
export function tlvInt(d: DeliverSm, tag: number): number | null {
  const v = d.tlvs.get(tag);
  if (!v) return null;
  if (v.length === 1) return v.readUInt8(0);
  if (v.length === 2) return v.readUInt16BE(0);
  if (v.length === 4) return v.readUInt32BE(0);
  return null;
}
