import { decodeGsm7, decodeUcs2, withPlus } from '@gw/sms-text';
import { type CallbackFields, CarrierCallbackError } from '../carrier';
import type { DeliveryReport, InboundSms } from '../sms-connector';

const UNDELIVERED = new Set(['UNDELIV', 'EXPIRED', 'REJECTD', 'DELETED']);

/**
 * Maps a Jasmin DLR to a gateway status. Level 1 (submit_sm_resp): ESME_ROK -> sent, any other
 * ESME_* -> failed. Level 2 (SMPP 3.4 receipt): DELIVRD -> delivered; UNDELIV, EXPIRED, REJECTD,
 * DELETED -> undelivered; ACCEPTD, ENROUTE, UNKNOWN are not final and map to null (no change).
 * The carrier's status and `err` code are kept verbatim.
 * @throws CarrierCallbackError when `id`, `level` or `message_status` is missing or level is unknown.
 */
export function parseJasminDlr(fields: CallbackFields): DeliveryReport | null {
  const id = fields.id;
  const level = fields.level;
  const status = fields.message_status;
  if (!id || !level || !status) throw new CarrierCallbackError('DLR lacks id, level or message_status');
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
  throw new CarrierCallbackError(`unknown DLR level ${level}`);
}

/**
 * Jasmin's deliver thrower sends `coding` as the raw data_coding octet (e.g. "%08"), not as digits;
 * both forms are accepted.
 */
function dataCoding(value: string | undefined): number {
  if (!value) return 0;
  if (/^\d+$/.test(value)) return Number(value);
  return value.charCodeAt(0);
}

/** Decodes MO text from the raw short_message octets by SMPP 3.4 data_coding (section 5.2.19). */
function decodeMoText(coding: number, raw: Buffer): string {
  if (coding === 8) return decodeUcs2(raw);
  if (coding === 3) return raw.toString('latin1');
  if (coding === 1) return raw.toString('ascii');
  return decodeGsm7(raw);
}

/**
 * Parses Jasmin's MO POST (httpccm connector; fields id, from, to, coding, content, binary).
 * The text is decoded from `binary` (hex of the short_message octets) by data_coding: 8 UCS-2,
 * 3 Latin-1, 1 IA5, otherwise the GSM 03.38 default alphabet.
 * @throws CarrierCallbackError when id, from or to is missing, or `binary` is not hex.
 */
export function parseJasminMo(fields: CallbackFields): InboundSms {
  const { id, from, to } = fields;
  if (!id || !from || !to) throw new CarrierCallbackError('MO lacks id, from or to');
  const hex = fields.binary ?? '';
  if (!/^([0-9a-fA-F]{2})*$/.test(hex)) throw new CarrierCallbackError('MO binary is not hex');
  const text = hex ? decodeMoText(dataCoding(fields.coding), Buffer.from(hex, 'hex')) : (fields.content ?? '');
  return { providerMessageId: id, from: withPlus(from), to: withPlus(to), text };
}
