import { PermanentError, RetryableError } from '@gw/queues';
import { encodeUcs2Hex } from '@gw/sms-text';
import { type CarrierAdapter, type ConnectorIdentity, NotSubmittedError } from '../carrier';
import { HttpCarrierClient } from '../http-carrier';
import type { SubmitRequest, SubmitResult } from '../sms-connector';

/** Jasmin HTTP API settings; `timeoutMs` bounds the whole `/send` call. */
export interface JasminHttpOptions {
  baseUrl: string;
  username: string;
  password: string;
  timeoutMs: number;
}

const SUCCESS = /^Success "([^"]+)"/;

/**
 * Form fields for Jasmin's `/send` (Jasmin HTTP API docs, "Sending SMS"): GSM-7 text goes as
 * `content` with coding 0 (Jasmin encodes it to the default alphabet and splits with UDH); UCS-2 as
 * `hex-content` UTF-16BE with coding 8. DLRs at level 3 (SMSC ack and handset receipt) are POSTed
 * to `dlr-url`; `validity-period` is in minutes.
 */
export function jasminSendForm(opts: Pick<JasminHttpOptions, 'username' | 'password'>, req: SubmitRequest): URLSearchParams {
  const form = new URLSearchParams({
    username: opts.username,
    password: opts.password,
    to: req.to,
    from: req.from,
    dlr: 'yes',
    'dlr-url': req.dlrUrl,
    'dlr-level': '3',
    'dlr-method': 'POST',
  });
  if (req.encoding === 'UCS-2') {
    form.set('coding', '8');
    form.set('hex-content', encodeUcs2Hex(req.body));
  } else {
    form.set('coding', '0');
    form.set('content', req.body);
  }
  if (req.validityPeriodS) form.set('validity-period', String(Math.max(1, Math.ceil(req.validityPeriodS / 60))));
  return form;
}

/**
 * Classifies a non-200 `/send` answer (Jasmin HTTP API docs, "HTTP response"; the 403 of
 * ThroughputExceededError in jasmin/protocols/http/errors.py): 5xx and 403
 * `User throughput exceeded` are answered before Jasmin queues the message, so they are
 * NotSubmittedError (retryable, another connector may take it); other 4xx (bad argument, auth
 * failure, no route, charging) are permanent. The error message keeps Jasmin's own text, never
 * the credentials.
 */
export function classifyJasminResponse(status: number, text: string): NotSubmittedError | PermanentError {
  const detail = text.trim().slice(0, 300);
  if (status >= 500) return new NotSubmittedError(`jasmin ${status}: ${detail}`);
  if (status === 403 && /throughput exceeded/i.test(text)) return new NotSubmittedError(`jasmin ${status}: ${detail}`);
  return new PermanentError(`jasmin ${status}: ${detail}`, `jasmin_${status}`);
}

/** SMS connector over Jasmin's HTTP API `/send`. A 200 means accepted by Jasmin, not yet by the SMSC. */
export class JasminHttpConnector implements CarrierAdapter {
  private readonly http: HttpCarrierClient;

  constructor(
    readonly identity: ConnectorIdentity,
    private readonly opts: JasminHttpOptions,
  ) {
    this.http = new HttpCarrierClient('jasmin', opts.timeoutMs);
  }

  /**
   * @throws NotSubmittedError when Jasmin could not be reached or refused before queueing,
   * RetryableError when the request may have reached it (timeout, reset), PermanentError for a 4xx.
   */
  async submit(req: SubmitRequest): Promise<SubmitResult> {
    const { status, text } = await this.http.send(new URL('/send', this.opts.baseUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: jasminSendForm(this.opts, req).toString(),
    });
    if (status === 200) {
      const m = SUCCESS.exec(text);
      if (m) return { providerMessageId: m[1] };
      throw new RetryableError(`jasmin 200 without a message id: ${text.slice(0, 200)}`);
    }
    throw classifyJasminResponse(status, text);
  }

  /** Closes the connection pool to Jasmin. */
  async close(): Promise<void> {
    await this.http.close();
  }
}
