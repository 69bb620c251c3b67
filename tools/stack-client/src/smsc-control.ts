import { request } from 'undici';
import type { SmscStats } from '../../smsc-sim/src/smsc-server';

export type { SmscStats };

/** One scenario rule of the SMSC simulator (tools/smsc-sim README). */
export interface SmscRule {
  match: string;
  prefix?: boolean;
  outcome: string;
  delayMs?: number;
  commandStatus?: number;
  err?: string;
}

/** Client of the SMSC simulator's control API. */
export class SmscControl {
  constructor(readonly baseUrl: string) {}

  private async call(method: string, path: string, body?: unknown): Promise<unknown> {
    const res = await request(`${this.baseUrl}${path}`, {
      method: method as 'GET',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(5000),
    });
    const text = await res.body.text();
    if (res.statusCode >= 300) throw new Error(`smsc ${method} ${path}: ${res.statusCode} ${text}`);
    return text ? JSON.parse(text) : null;
  }

  /** Replaces the scenario rules, and the behaviour for unmatched numbers when `fallback` is given. */
  async setRules(rules: SmscRule[], fallback?: Omit<SmscRule, 'match' | 'prefix'>): Promise<void> {
    await this.call('PUT', '/scenarios', fallback ? { rules, default: fallback } : { rules });
  }

  /** Every submit_sm received for `destination` (with or without '+'). */
  async messages(
    destination?: string,
  ): Promise<Array<{ messageId: string; destination: string; text: string; dataCoding: number; receipts: unknown[] }>> {
    const q = destination ? `?destination=${encodeURIComponent(destination)}` : '';
    return (await this.call('GET', `/messages${q}`)) as Array<{
      messageId: string;
      destination: string;
      text: string;
      dataCoding: number;
      receipts: unknown[];
    }>;
  }

  /** Injects an MO (deliver_sm) towards the bound ESME. */
  async sendMo(from: string, to: string, text: string): Promise<void> {
    await this.call('POST', '/mo', { from, to, text });
  }

  /** The simulator's counters since it started (`GET /stats`). */
  async stats(): Promise<SmscStats> {
    return (await this.call('GET', '/stats')) as SmscStats;
  }

  async health(): Promise<{ bound: number }> {
    return (await this.call('GET', '/health')) as { bound: number };
  }
}
