import { Agent, request } from 'undici';
import { RetryableError } from '@gw/queues';
import { NotSubmittedError } from './carrier';

/** Failures before the request reached the carrier: it cannot have taken the message. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTFOUND', 'UND_ERR_CONNECT_TIMEOUT']);

/** The status and body of a carrier's answer. */
export interface CarrierAnswer {
  status: number;
  text: string;
}

/**
 * One HTTP request to an HTTP carrier (Jasmin `/send`, Kannel `sendsms`), bounded by `timeoutMs`
 * as a whole. The connection attempt has its own, shorter deadline (half the budget, at most 2 s),
 * so a carrier that does not accept connections is known not to have the message
 * (NotSubmittedError, another connector may take it) before the whole request times out, which
 * would leave the outcome unknown.
 */
export class HttpCarrierClient {
  private readonly agent: Agent;

  constructor(
    private readonly carrier: string,
    private readonly timeoutMs: number,
  ) {
    this.agent = new Agent({ connect: { timeout: Math.max(100, Math.min(2000, Math.floor(timeoutMs / 2))) } });
  }

  /**
   * @throws NotSubmittedError when the request never reached the carrier; RetryableError when it
   * may have (timeout, reset). Messages name only the error code: URLs may carry credentials.
   */
  async send(url: URL, init: { method: 'GET' | 'POST'; headers?: Record<string, string>; body?: string }): Promise<CarrierAnswer> {
    try {
      const res = await request(url, { ...init, dispatcher: this.agent, signal: AbortSignal.timeout(this.timeoutMs) });
      return { status: res.statusCode, text: await res.body.text() };
    } catch (err) {
      // undici errors carry a string code; an aborted request is a DOMException (numeric code, name TimeoutError).
      const raw = (err as { code?: unknown }).code;
      const code = typeof raw === 'string' ? raw : (err as Error).name;
      if (NOT_SENT_CODES.has(code)) throw new NotSubmittedError(`${this.carrier} unreachable: ${code}`);
      throw new RetryableError(`${this.carrier} did not answer: ${code}`);
    }
  }

  /** Closes the connection pool. */
  async close(): Promise<void> {
    await this.agent.close();
  }
}
