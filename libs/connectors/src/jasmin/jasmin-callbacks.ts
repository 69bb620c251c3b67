import type { DeliveryReport, InboundSms } from '../sms-connector';

/** Fields Jasmin POSTs to a `dlr-url` (form-encoded; REFERENCE.md "DLR callback"). */
export type JasminDlrFields = Record<string, string | undefined>;

const UNDELIVERED = new Set(['UNDELIV', 'EXPIRED', 'REJECTD', 'DELETED']);

/** Thrown when a callback lacks what Jasmin always sends. */
export class JasminCallbackError extends Error {}

/**
 * Maps a Jasmin DLR to a gateway status. Level 1 (submit_sm_resp): ESME_ROK -> sent, any other
 * ESME_* -> failed. Level 2 (SMPP 3.4 receipt): DELIVRD -> delivered; UNDELIV, EXPIRED, REJECTD,
 * DELETED -> undelivered; ACCEPTD, ENROUTE, UNKNOWN are not final and map to null (no change).
 * The carrier's status and `err` code are kept verbatim.
 * @throws JasminCallbackError when `id`, `level` or `message_status` is missing or level is unknown.
 */
export function parseJasminDlr(fields: JasminDlrFields): DeliveryReport | null {
  const id = fields.id;
  const level = fields.level;
  const status = fields.message_status;
  if (!id || !level || !status) throw new JasminCallbackError('DLR lacks id, level or message_status');
  if (level === '1') {
    return status === 'ESME_ROK'
      ? { providerMessageId: id, status: 'sent', carrierStatus: status, carrierCode: null, description: 'accepted by the SMSC' }
      : {
          providerMessageId: id,
          status: 'failed',
          carrierStatus: status,
          carrierCode: status,
          description: 'rejected by the SMSC at submit',
        };
  }
  if (level === '2') {
    const err = fields.err && fields.err !== 'ND' ? fields.err : null;
    if (status === 'DELIVRD') {
      return {
        providerMessageId: id,
        status: 'delivered',
        carrierStatus: status,
        carrierCode: err,
        description: 'delivered to the handset',
      };
    }
    if (UNDELIVERED.has(status)) {
      return {
        providerMessageId: id,
        status: 'undelivered',
        carrierStatus: status,
        carrierCode: err,
        description: `carrier reported ${status}`,
      };
    }
    return null;
  }
  throw new JasminCallbackError(`unknown DLR level ${level}`);
}

function toE164(addr: string): string {
  return /^\d+$/.test(addr) ? `+${addr}` : addr;
}

function decodeUcs2(hex: string): string {
  const bytes = Buffer.from(hex, 'hex');
  if (bytes.length % 2) throw new JasminCallbackError('UCS-2 content has an odd byte count');
  return bytes.swap16().toString('utf16le');
}

/**
 * Parses Jasmin's MO POST (httpccm connector; fields id, from, to, coding, content, binary).
 * coding 8 is UCS-2 (UTF-16BE in `binary`); other codings are taken as `content` text.
 * @throws JasminCallbackError when id, from or to is missing.
 */
export function parseJasminMo(fields: JasminDlrFields): InboundSms {
  const { id, from, to } = fields;
  if (!id || !from || !to) throw new JasminCallbackError('MO lacks id, from or to');
  const text = fields.coding === '8' && fields.binary ? decodeUcs2(fields.binary) : (fields.content ?? '');
  return { providerMessageId: id, from: toE164(from), to: toE164(to), text };
}
