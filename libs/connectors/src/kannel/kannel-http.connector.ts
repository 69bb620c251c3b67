import { PermanentError, RetryableError } from '@gw/queues';
import { encodeUcs2 } from '@gw/sms-text';
import { type CarrierAdapter, type ConnectorIdentity, NotSubmittedError } from '../carrier';
import { HttpCarrierClient } from '../http-carrier';
import type { SubmitRequest, SubmitResult } from '../sms-connector';

/** Kannel sendsms settings; `baseUrl` is the smsbox sendsms port (e.g. http://127.0.0.1:13013), `timeoutMs` bounds each request. */
export interface KannelHttpOptions {
  baseUrl: string;
  username: string;
  password: string;
  /** smsc-id to route through (sendsms `smsc`); null lets Kannel's routing choose. */
  smsc: string | null;
  timeoutMs: number;
}

/**
 * dlr-mask 31: every report Kannel can make (Kannel user guide, "SMS Push (send-sms) CGI
 * Variables"): 1 delivered to the handset, 2 not delivered, 4 buffered at the SMSC, 8 accepted by
 * the SMSC (submit_sm_resp OK), 16 rejected by the SMSC.
 */
export const KANNEL_DLR_MASK = 31;

/**
 * Kannel escape codes appended to the gateway's dlr-url (user guide, "Parameters (Escape Codes)"):
 * %d the report type (the dlr-mask bit), %A the SMSC's reply (for a handset receipt, the SMPP 3.4
 * Appendix B text; for a submit answer `ACK/` or `NACK/<command_status>/<text>`), %F the SMSC message
 * id, %T the time in UNIX seconds. Kannel URL-encodes each value.
 */
export const KANNEL_DLR_ESCAPES = '&type=%d&reply=%A&smscid=%F&ts=%T';

const ACCEPTED = /^\s*[03]:/;

/**
 * The dlr-url handed to Kannel: the gateway's receipt URL (which already names the message,
 * connector and token) plus KANNEL_DLR_ESCAPES. Kannel expands every `%X` of the URL and writes
 * `%%` as `%`, so each `%` of the gateway's own URL (a percent-encoded query value) is doubled.
 */
export function kannelDlrUrl(gatewayDlrUrl: string): string {
  return gatewayDlrUrl.replaceAll('%', '%%') + KANNEL_DLR_ESCAPES;
}

/** Percent-encodes every octet, so any byte string survives as one query value. */
function percentEncodeOctets(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += `%${b.toString(16).padStart(2, '0').toUpperCase()}`;
  return out;
}

/**
 * Query string of `GET /cgi-bin/sendsms` (Kannel user guide, "SMS Push (send-sms) CGI Variables").
 * GSM-7 text goes as `text` in UTF-8 with `coding=0&charset=UTF-8`: Kannel converts it to the GSM
 * 03.38 default alphabet (escapes included) and splits it into concatenated parts. UCS-2 goes as
 * the UTF-16BE octets of the text with `coding=2&charset=UTF-16BE`, which Kannel 1.4.5 passes to the
 * SMSC unchanged (data_coding 8; no iconv step, so every UTF-16 code unit arrives as it was).
 * `validity` is in whole minutes (rounded up); `dlr-mask` is KANNEL_DLR_MASK and `dlr-url` is
 * kannelDlrUrl(req.dlrUrl). Holds the password: never log it.
 */
export function kannelSendsmsQuery(opts: Pick<KannelHttpOptions, 'username' | 'password' | 'smsc'>, req: SubmitRequest): string {
  const query = new URLSearchParams({
    username: opts.username,
    password: opts.password,
    to: req.to,
    from: req.from,
    coding: req.encoding === 'UCS-2' ? '2' : '0',
    charset: req.encoding === 'UCS-2' ? 'UTF-16BE' : 'UTF-8',
    'dlr-mask': String(KANNEL_DLR_MASK),
    'dlr-url': kannelDlrUrl(req.dlrUrl),
  });
  if (opts.smsc) query.set('smsc', opts.smsc);
  if (req.validityPeriodS) query.set('validity', String(Math.max(1, Math.ceil(req.validityPeriodS / 60))));
  if (req.encoding === 'UCS-2') return `${query.toString()}&text=${percentEncodeOctets(encodeUcs2(req.body))}`;
  query.set('text', req.body);
  return query.toString();
}

/**
 * Classifies a sendsms answer (Kannel user guide, "SMS Push reply codes"). 202 `0: Accepted for
 * delivery` and 202 `3: Queued for later delivery` (no SMSC bound yet; Kannel sends it once one
 * is) are success, returned as null. 503 `Temporal failure, try again later` is answered before
 * Kannel queues the message: NotSubmittedError. Any 4xx (authorization, a missing or refused
 * number, a malformed field) can never succeed as sent: PermanentError with code `kannel_<status>`.
 * Anything else (another 5xx, an unexpected body) leaves the outcome unknown: RetryableError. The
 * messages keep Kannel's own words, which never contain the credentials.
 */
export function classifyKannelResponse(status: number, text: string): NotSubmittedError | PermanentError | RetryableError | null {
  const detail = text.trim().slice(0, 300);
  if (status === 202 && ACCEPTED.test(text)) return null;
  if (status === 503) return new NotSubmittedError(`kannel ${status}: ${detail}`);
  if (status >= 400 && status < 500) return new PermanentError(`kannel ${status}: ${detail}`, `kannel_${status}`);
  return new RetryableError(`kannel ${status}: ${detail}`);
}

/**
 * SMS connector over Kannel's smsbox sendsms interface. A 202 means the bearerbox took the message,
 * not yet the SMSC. Kannel answers no message id of its own, so the gateway message id is the
 * providerMessageId; every DLR of the message carries it too, as the `msg` of the gateway's
 * dlr-url (see parseKannelDlr).
 */
export class KannelHttpConnector implements CarrierAdapter {
  private readonly http: HttpCarrierClient;

  constructor(
    readonly identity: ConnectorIdentity,
    private readonly opts: KannelHttpOptions,
  ) {
    this.http = new HttpCarrierClient('kannel', opts.timeoutMs);
  }

  /**
   * @throws NotSubmittedError when Kannel could not be reached or answered 503, RetryableError when
   * the request may have reached it (timeout, reset) or the answer is unexpected, PermanentError
   * for a 4xx.
   */
  async submit(req: SubmitRequest): Promise<SubmitResult> {
    const url = new URL('/cgi-bin/sendsms', this.opts.baseUrl);
    url.search = kannelSendsmsQuery(this.opts, req);
    const { status, text } = await this.http.send(url, { method: 'GET' });
    const failure = classifyKannelResponse(status, text);
    if (failure) throw failure;
    return { providerMessageId: req.messageId };
  }

  /** Closes the connection pool to Kannel. */
  async close(): Promise<void> {
    await this.http.close();
  }
}
