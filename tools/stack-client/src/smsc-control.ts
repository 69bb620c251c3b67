import { request } from 'undici';
import type { SubmitLimits } from '../../smsc-sim/src/limits';
import type { AccountStats, SmscStats } from '../../smsc-sim/src/smsc-server';

export type { AccountStats, SmscStats, SubmitLimits };

/** One logged submit_sm, as `GET /messages` returns it (the fields tests read). */
export interface SmscMessage {
  /** null when the submit_sm was refused (scenario submit_error or the rate limit). */
  messageId: string | null;
  /** system_id of the submitting bind (SMSC_SYSTEM_ID, or one of SMSC_ACCOUNTS). */
  systemId: string;
  destination: string;
  text: string;
  dataCoding: number;
  /** submit_sm_resp command_status (0x58 ESME_RTHROTTLED when throttled). */
  commandStatus: number;
  /** Scenario outcome, or 'throttled' when the rate limit refused it. */
  outcome: string;
  receipts: unknown[];
}

/** One scenario rule of the SMSC simulator (tools/smsc-sim README). */
export interface SmscRule {
  match: string;
  prefix?: boolean;
  outcome: string;
  delayMs?: number;
  commandStatus?: number;
  err?: string;
  /** Send an intermediate receipt (intermediateStat, default ENROUTE) right after submit_sm_resp, before the final one. */
  enrouteFirst?: boolean;
  intermediateStat?: 'ENROUTE' | 'ACCEPTD';
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

  /**
   * Every submit_sm received, in arrival order: for `destination` (with or without '+') when given,
   * and from binds of `systemId` when given.
   */
  async messages(destination?: string, filter: { systemId?: string } = {}): Promise<SmscMessage[]> {
    const q = new URLSearchParams();
    if (destination) q.set('destination', destination);
    if (filter.systemId) q.set('systemId', filter.systemId);
    const query = q.size > 0 ? `?${q.toString()}` : '';
    return (await this.call('GET', `/messages${query}`)) as SmscMessage[];
  }

  /**
   * Injects an MO (deliver_sm) towards a bind of `systemId`, by default the simulator's first
   * account (SMSC_SYSTEM_ID, Jasmin's). Throws on 409 when that account has no receiving bind.
   */
  async sendMo(from: string, to: string, text: string, opts: { systemId?: string } = {}): Promise<void> {
    await this.call('POST', '/mo', { from, to, text, ...(opts.systemId ? { systemId: opts.systemId } : {}) });
  }

  /** The active submit_sm rate limit (`GET /limits`). */
  async limits(): Promise<SubmitLimits> {
    return (await this.call('GET', '/limits')) as SubmitLimits;
  }

  /** Sets the per-bind submit_sm limit (`PUT /limits`; 0 = unlimited); above it submit_sm gets ESME_RTHROTTLED. */
  async setLimits(limits: SubmitLimits): Promise<SubmitLimits> {
    return (await this.call('PUT', '/limits', limits)) as SubmitLimits;
  }

  /** Restores the start-up limit (`DELETE /limits`, SMSC_MAX_SUBMITS_PER_S_PER_BIND). */
  async resetLimits(): Promise<SubmitLimits> {
    return (await this.call('DELETE', '/limits')) as SubmitLimits;
  }

  /** The simulator's counters since it started (`GET /stats`), totals and per account under `accounts`. */
  async stats(): Promise<SmscStats> {
    return (await this.call('GET', '/stats')) as SmscStats;
  }

  async health(): Promise<{ bound: number }> {
    return (await this.call('GET', '/health')) as { bound: number };
  }
}
