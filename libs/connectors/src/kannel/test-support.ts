/**
 * Callback queries exactly as Kannel 1.4.5 (Debian `kannel` 1.4.5-12) sent them, for the parser tests.
 *
 * Captured by hand: bearerbox and smsbox rendered from infra/kannel/kannel.conf, bound over SMPP to
 * tools/smsc-sim, with the sms-service get-url and the dlr-urls pointed at a small HTTP listener that
 * wrote down each request line. MOs were injected with the simulator's `POST /mo`
 * ({from, to, text, dataCoding?}; the simulator picks data_coding 0 when the text fits GSM 03.38,
 * else 8); DLRs followed sendsms requests with
 * dlr-mask 31 and a dlr-url shaped like the gateway's (`msg`, `conn`, `token`) plus
 * KANNEL_DLR_ESCAPES, against simulator scenarios for each outcome. The MO token of that scratch
 * stack is replaced by `MO_TOKEN`; the DLR token is a sample value.
 */

/** MO GETs of the sms-service (query string after `/webhooks/kannel/mo?`). */
export const CAPTURED_MO = {
  /** POST /mo {from:'+14155550100', to:'+14155550199', text:'hello € [x]  two  spaces'}: data_coding 0; Kannel hands over UTF-8. */
  gsm7: 'token=MO_TOKEN&id=7bc1a7e7-9620-454c-8460-0d22a3696f91&from=%2B14155550100&to=%2B14155550199&coding=0&charset=UTF-8&hex=68656C6C6F20E282AC205B785D202074776F2020737061636573&smsc=simulator&ts=1796413315',
  /** POST /mo {from:'14155550100', to:'12345', text:'Привет 😀'}: data_coding 8, source TON 0 (no '+'). */
  ucs2: 'token=MO_TOKEN&id=12dd486f-1039-4b7e-a527-011247b7d3c5&from=14155550100&to=12345&coding=2&charset=UTF-16BE&hex=041F044004380432043504420020D83DDE00&smsc=simulator&ts=1796413316',
  /** POST /mo {..., text:'café', dataCoding:3}: Latin-1 on the wire; Kannel converts it to UTF-8, coding 0. */
  latin1:
    'token=MO_TOKEN&id=d2d90557-2815-4171-89d4-debfff402a04&from=%2B14155550100&to=%2B14155550199&coding=0&charset=UTF-8&hex=636166C3A9&smsc=simulator&ts=1796413316',
  /** POST /mo {from:'ALPHA', to:'+14155550199', text:''}: alphanumeric sender, empty text. */
  emptyFromAlphanumeric:
    'token=MO_TOKEN&id=e88cbb01-f340-43ee-bfe3-1eadca49e54b&from=ALPHA&to=%2B14155550199&coding=0&charset=UTF-8&hex=&smsc=simulator&ts=1796413316',
  /** POST /mo {from:'+447700900123', ..., text:'Grüße 👋 from UCS-2, long: ' + 'ü'.repeat(78)}: 105 UTF-16 code units (over one segment's 70) in one deliver_sm. */
  ucs2Long:
    'token=MO_TOKEN&id=111ba3a0-d9dd-4fdf-a071-6a16f8236193&from=%2B447700900123&to=%2B14155550199&coding=2&charset=UTF-16BE&hex=0047007200FC00DF00650020D83DDC4B002000660072006F006D0020005500430053002D0032002C0020006C006F006E0067003A002000FC00FC00FC00FC00FC00FC00FC00FC00FC00FC00FC00FC00FC00FC00FC00FC00FC00FC00FC00FC00FC00FC00FC00FC00FC00FC00FC00FC00FC00FC00FC00FC00FC00FC00FC00FC00FC00FC00FC00FC00FC00FC00FC00FC00FC00FC00FC00FC00FC00FC00FC00FC00FC00FC00FC00FC00FC00FC00FC00FC00FC00FC00FC00FC00FC00FC00FC00FC00FC00FC00FC00FC00FC00FC00FC00FC00FC00FC&smsc=simulator&ts=1796413316',
} as const;

/** smsbox GETs of the dlr-url (query string after `/webhooks/kannel/dlr?`). */
export const CAPTURED_DLR = {
  /** submit_sm_resp ESME_ROK (type 8). */
  smscAck:
    'msg=msg_00000000000000000000501&conn=conn_00000000000000000000kn&token=Xo_7yn2xBSMg-mFDEbgur0KwFV46UfYfdPu4a2aqLro&type=8&reply=ACK%2F&smscid=6E1747C54AA19821&ts=1796413307',
  /** Intermediate ENROUTE receipt (type 4). */
  enroute:
    'msg=msg_00000000000000000000501&conn=conn_00000000000000000000kn&token=Xo_7yn2xBSMg-mFDEbgur0KwFV46UfYfdPu4a2aqLro&type=4&reply=id%3A6E1747C54AA19821+sub%3A001+dlvrd%3A000+submit+date%3A2612041941+done+date%3A2612041941+stat%3AENROUTE+err%3A000+text%3AReceipt+test+1&smscid=6E1747C54AA19821&ts=1796413307',
  /** Final DELIVRD receipt (type 1). */
  delivered:
    'msg=msg_00000000000000000000501&conn=conn_00000000000000000000kn&token=Xo_7yn2xBSMg-mFDEbgur0KwFV46UfYfdPu4a2aqLro&type=1&reply=id%3A6E1747C54AA19821+sub%3A001+dlvrd%3A001+submit+date%3A2612041941+done+date%3A2612041941+stat%3ADELIVRD+err%3A000+text%3AReceipt+test+1&smscid=6E1747C54AA19821&ts=1796413308',
  /** UNDELIV receipt, err 001 (type 2). */
  undeliverable:
    'msg=msg_00000000000000000000502&conn=conn_00000000000000000000kn&token=Xo_7yn2xBSMg-mFDEbgur0KwFV46UfYfdPu4a2aqLro&type=2&reply=id%3A571069D70E278435+sub%3A001+dlvrd%3A000+submit+date%3A2612041941+done+date%3A2612041941+stat%3AUNDELIV+err%3A001+text%3AReceipt+test+2&smscid=571069D70E278435&ts=1796413308',
  /** EXPIRED receipt (type 34: 2 plus bit 32, which Kannel 1.4.5 sets on expiry). */
  expired:
    'msg=msg_00000000000000000000503&conn=conn_00000000000000000000kn&token=Xo_7yn2xBSMg-mFDEbgur0KwFV46UfYfdPu4a2aqLro&type=34&reply=id%3ACEA33ECEA3A251E5+sub%3A001+dlvrd%3A000+submit+date%3A2612041941+done+date%3A2612041941+stat%3AEXPIRED+err%3A000+text%3AReceipt+test+3&smscid=CEA33ECEA3A251E5&ts=1796413308',
  /** REJECTD receipt, err 0AB (type 2). */
  rejected:
    'msg=msg_00000000000000000000504&conn=conn_00000000000000000000kn&token=Xo_7yn2xBSMg-mFDEbgur0KwFV46UfYfdPu4a2aqLro&type=2&reply=id%3A7DC999116B546763+sub%3A001+dlvrd%3A000+submit+date%3A2612041941+done+date%3A2612041941+stat%3AREJECTD+err%3A0AB+text%3AReceipt+test+4&smscid=7DC999116B546763&ts=1796413309',
  /** submit_sm_resp ESME_RINVDSTADR (type 16); no SMSC message id. */
  submitRejected:
    'msg=msg_00000000000000000000505&conn=conn_00000000000000000000kn&token=Xo_7yn2xBSMg-mFDEbgur0KwFV46UfYfdPu4a2aqLro&type=16&reply=NACK%2F0x0000000b%2FInvalid+Destination+Address&smscid=&ts=1796413309',
} as const;

/** Fields of a captured query, as the webhook ingress hands them to the parsers. */
export function queryFields(query: string): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(query));
}
