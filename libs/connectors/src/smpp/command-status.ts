import { PermanentError } from '@gw/queues';
import { NotSubmittedError } from '../carrier';

/** command_status values the adapter acts on or answers with (SMPP 3.4 section 5.1.3). */
export const ESME = {
  ROK: 0x00,
  RINVCMDID: 0x03,
  RMSGQFUL: 0x14,
  RTHROTTLED: 0x58,
  RX_T_APPN: 0x64,
  RX_P_APPN: 0x65,
} as const;

/** Names of the SMPP 3.4 command_status values (section 5.1.3), for messages and logs. */
const NAMES: Readonly<Record<number, string>> = {
  0x00: 'ESME_ROK',
  0x01: 'ESME_RINVMSGLEN',
  0x02: 'ESME_RINVCMDLEN',
  0x03: 'ESME_RINVCMDID',
  0x04: 'ESME_RINVBNDSTS',
  0x05: 'ESME_RALYBND',
  0x06: 'ESME_RINVPRTFLG',
  0x07: 'ESME_RINVREGDLVFLG',
  0x08: 'ESME_RSYSERR',
  0x0a: 'ESME_RINVSRCADR',
  0x0b: 'ESME_RINVDSTADR',
  0x0c: 'ESME_RINVMSGID',
  0x0d: 'ESME_RBINDFAIL',
  0x0e: 'ESME_RINVPASWD',
  0x0f: 'ESME_RINVSYSID',
  0x11: 'ESME_RCANCELFAIL',
  0x13: 'ESME_RREPLACEFAIL',
  0x14: 'ESME_RMSGQFUL',
  0x15: 'ESME_RINVSERTYP',
  0x33: 'ESME_RINVNUMDESTS',
  0x34: 'ESME_RINVDLNAME',
  0x40: 'ESME_RINVDESTFLAG',
  0x42: 'ESME_RINVSUBREP',
  0x43: 'ESME_RINVESMCLASS',
  0x44: 'ESME_RCNTSUBDL',
  0x45: 'ESME_RSUBMITFAIL',
  0x48: 'ESME_RINVSRCTON',
  0x49: 'ESME_RINVSRCNPI',
  0x50: 'ESME_RINVDSTTON',
  0x51: 'ESME_RINVDSTNPI',
  0x53: 'ESME_RINVSYSTYP',
  0x54: 'ESME_RINVREPFLAG',
  0x55: 'ESME_RINVNUMMSGS',
  0x58: 'ESME_RTHROTTLED',
  0x61: 'ESME_RINVSCHED',
  0x62: 'ESME_RINVEXPIRY',
  0x63: 'ESME_RINVDFTMSGID',
  0x64: 'ESME_RX_T_APPN',
  0x65: 'ESME_RX_P_APPN',
  0x66: 'ESME_RX_R_APPN',
  0x67: 'ESME_RQUERYFAIL',
  0xc0: 'ESME_RINVOPTPARSTREAM',
  0xc1: 'ESME_ROPTPARNOTALLWD',
  0xc2: 'ESME_RINVPARLEN',
  0xc3: 'ESME_RMISSINGOPTPARAM',
  0xc4: 'ESME_RINVOPTPARAMVAL',
  0xfe: 'ESME_RDELIVERYFAILURE',
  0xff: 'ESME_RUNKNOWNERR',
};

/** `0x0b`-style hex of a command_status (at least two digits, lower case). */
export function statusHex(status: number): string {
  return `0x${status.toString(16).padStart(2, '0')}`;
}

/** `ESME_RINVDSTADR (0x0b)`, or `0x400 (vendor specific)` for a value SMPP 3.4 does not name. */
export function describeStatus(status: number): string {
  const name = NAMES[status];
  return name ? `${name} (${statusHex(status)})` : `${statusHex(status)} (${status >= 0x400 ? 'vendor specific' : 'reserved'})`;
}

/**
 * Classifies a non-zero submit_sm_resp command_status (SMPP 3.4 section 5.1.3):
 * ESME_RTHROTTLED (0x58) and ESME_RMSGQFUL (0x14) say the SMSC did not take the message now, so
 * they are NotSubmittedError with `retryAfterMs` (another connector may take it); every other
 * status (ESME_RINVDSTADR, ESME_RINVSRCADR, ESME_RSUBMITFAIL, ...) is a PermanentError with code
 * `smpp_<hex>` (e.g. `smpp_0x0b`) and the status named in the message.
 */
export function classifySubmitStatus(status: number, retryAfterMs: number): NotSubmittedError | PermanentError {
  if (status === ESME.RTHROTTLED || status === ESME.RMSGQFUL) {
    return new NotSubmittedError(`SMSC answered submit_sm with ${describeStatus(status)}`, retryAfterMs);
  }
  return new PermanentError(`SMSC rejected submit_sm with ${describeStatus(status)}`, `smpp_${statusHex(status)}`);
}
