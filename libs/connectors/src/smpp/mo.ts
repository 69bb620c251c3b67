/** Mobile-originated deliver_sm: text decoding, concatenated-part reassembly and a stable MO id. */
import { createHash } from 'node:crypto';
import { decodeGsm7, decodeUcs2, withPlus } from '@gw/sms-text';
import type { InboundSms } from '../sms-connector';
import { type DeliverSm, TLV, contentOf, tlvInt, tlvString } from './deliver-sm';

const ESM_UDHI = 0x40;

/** Concatenation info of one MO part. */
export interface ConcatInfo {
  /** Reference shared by all parts (8 or 16 bit). */
  ref: number;
  total: number;
  /** 1-based. */
  seq: number;
}

/** One MO deliver_sm, ready for reassembly. */
export interface MoPart {
  from: string;
  to: string;
  dataCoding: number;
  /** null for a message in one part. */
  concat: ConcatInfo | null;
  /** The user data after any UDH. */
  userData: Buffer;
  /** What identifies this PDU across SMSC redeliveries (see {@link moProviderId}). */
  fingerprint: Buffer[];
}

/**
 * Decodes MO user data by data_coding (SMPP 3.4 section 5.2.19): 0 SMSC default alphabet (GSM
 * 03.38, unpacked septets), 1 IA5 (ASCII), 3 Latin-1, 8 UCS-2 (UTF-16BE); the GSM 03.38 message
 * class group 0xF0-0xF3 as GSM 03.38. Other codings are read as Latin-1, so no octet is lost.
 */
export function decodeMoText(dataCoding: number, bytes: Buffer): string {
  if (dataCoding === 0 || (dataCoding & 0xfc) === 0xf0) return decodeGsm7(bytes);
  if (dataCoding === 8) return decodeUcs2(bytes);
  if (dataCoding === 1) return bytes.toString('ascii');
  return bytes.toString('latin1');
}

/** Reads the concatenation IE 0x00 (8-bit reference) or 0x08 (16-bit) from UDH information elements (3GPP TS 23.040 section 9.2.3.24). */
export function parseConcatIe(ies: Uint8Array): ConcatInfo | null {
  let i = 0;
  while (i + 2 <= ies.length) {
    const iei = ies[i];
    const len = ies[i + 1];
    if (iei === 0x00 && len === 3 && i + 5 <= ies.length) return { ref: ies[i + 2], total: ies[i + 3], seq: ies[i + 4] };
    if (iei === 0x08 && len === 4 && i + 6 <= ies.length)
      return { ref: (ies[i + 2] << 8) | ies[i + 3], total: ies[i + 4], seq: ies[i + 5] };
    i += 2 + len;
  }
  return null;
}

/**
 * One MO part from a deliver_sm: content from short_message or message_payload; with esm_class
 * UDHI (0x40) the UDH is split off and its concatenation IE read, else the sar_* TLVs (SMPP 3.4
 * sections 5.3.2.22-24) are used when present. A part claiming a total of 1 or a sequence outside
 * 1..total is treated as a whole message.
 */
export function moPart(d: DeliverSm): MoPart {
  const content = contentOf(d);
  let userData = content;
  let concat: ConcatInfo | null = null;
  if (d.esmClass & ESM_UDHI && content.length > 0) {
    const udhl = content[0];
    concat = parseConcatIe(content.subarray(1, 1 + udhl));
    userData = content.subarray(Math.min(content.length, 1 + udhl));
  } else {
    const ref = tlvInt(d, TLV.sarMsgRefNum);
    const total = tlvInt(d, TLV.sarTotalSegments);
    const seq = tlvInt(d, TLV.sarSegmentSeqnum);
    if (ref !== null && total !== null && seq !== null) concat = { ref, total, seq };
  }
  if (concat && (concat.total < 2 || concat.seq < 1 || concat.seq > concat.total)) concat = null;
  const ids = [tlvString(d, TLV.receiptedMessageId), tlvInt(d, TLV.userMessageReference)].map((v) => String(v ?? ''));
  return {
    from: d.sourceAddr,
    to: d.destinationAddr,
    dataCoding: d.dataCoding,
    concat,
    userData: Buffer.from(userData),
    fingerprint: [Buffer.from([d.dataCoding, d.esmClass]), content, Buffer.from(ids.join('\0'))],
  };
}

/**
 * The providerMessageId of an MO: SHA-256 (first 32 hex digits) over the source and destination
 * addresses and, for every part in order, its data_coding, esm_class, content octets (UDH
 * included, so the concatenation reference counts) and the receipted_message_id /
 * user_message_reference TLVs when the SMSC sends them.
 * SMPP 3.4 gives an MO deliver_sm no message id and the sequence_number changes when the SMSC
 * redelivers a PDU it got no deliver_sm_resp for, so only what the SMSC repeats verbatim is
 * used: a redelivered MO gets the same id. The cost: the same text sent twice by the same handset
 * to the same number, without a user_message_reference to tell them apart, counts as one MO.
 */
export function moProviderId(from: string, to: string, parts: readonly MoPart[]): string {
  const hash = createHash('sha256');
  const field = (b: Buffer): void => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(b.length);
    hash.update(len).update(b);
  };
  field(Buffer.from(from));
  field(Buffer.from(to));
  for (const p of parts) for (const f of p.fingerprint) field(f);
  return hash.digest('hex').slice(0, 32);
}

/** A complete MO and the key to pass to {@link MoReassembler.done} once the sink took it. */
export interface CompleteMo {
  key: string | null;
  sms: InboundSms;
}

/** Bounds of {@link MoReassembler}. */
export interface MoReassemblerOptions {
  /** How long the parts of an incomplete message are kept after its first part arrived (ms). */
  ttlMs: number;
  /** At most this many incomplete messages are kept; the oldest is dropped beyond it. */
  maxPending: number;
  now: () => number;
}

interface PendingMo {
  firstAt: number;
  parts: Map<number, MoPart>;
}

/**
 * Reassembles concatenated MO parts in memory, keyed by source, destination, reference and total.
 * Parts of an incomplete message are acknowledged as they arrive, so a message whose parts do not
 * all arrive within `ttlMs` (or are lost with the process) is dropped. A complete message stays
 * until {@link done}, so when the sink fails and the SMSC redelivers the last part, the message
 * completes again.
 */
export class MoReassembler {
  private readonly pending = new Map<string, PendingMo>();

  constructor(private readonly opts: MoReassemblerOptions) {}

  /** Adds a part. @returns the whole message (text decoded by the first part's data_coding, from/to via withPlus) when complete, else null. */
  add(part: MoPart): CompleteMo | null {
    if (!part.concat) return { key: null, sms: this.toSms([part]) };
    this.expire();
    const { ref, total, seq } = part.concat;
    const key = [part.from, part.to, ref, total].join('\0');
    let entry = this.pending.get(key);
    if (!entry) {
      entry = { firstAt: this.opts.now(), parts: new Map() };
      this.pending.set(key, entry);
      if (this.pending.size > this.opts.maxPending) this.pending.delete(this.pending.keys().next().value as string);
    }
    entry.parts.set(seq, part);
    if (entry.parts.size < total) return null;
    const ordered = Array.from({ length: total }, (_, i) => entry.parts.get(i + 1) as MoPart);
    return { key, sms: this.toSms(ordered) };
  }

  /** Forgets a message the sink has taken. */
  done(key: string | null): void {
    if (key !== null) this.pending.delete(key);
  }

  /** Incomplete (or not yet taken) messages held. */
  size(): number {
    return this.pending.size;
  }

  clear(): void {
    this.pending.clear();
  }

  private expire(): void {
    const cutoff = this.opts.now() - this.opts.ttlMs;
    for (const [key, entry] of this.pending) if (entry.firstAt < cutoff) this.pending.delete(key);
  }

  private toSms(parts: MoPart[]): InboundSms {
    const first = parts[0];
    const text = decodeMoText(first.dataCoding, Buffer.concat(parts.map((p) => p.userData)));
    return { providerMessageId: moProviderId(first.from, first.to, parts), from: withPlus(first.from), to: withPlus(first.to), text };
  }
}
