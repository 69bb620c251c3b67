import { request } from 'undici';
import type { CallRecord } from '../../ari-sim/src/sim/call-log';
import type { SimMode } from '../../ari-sim/src/sim/realism';

/** A far-end rule of the ARI simulator (tools/ari-sim README, "Scenarios"). */
export interface AriSimRule {
  number?: string;
  prefix?: string;
  endpoint?: string;
  outcome?: 'answer' | 'busy' | 'noanswer' | 'reject' | 'congestion';
  answerAfterMs?: number;
  hangupAfterMs?: number;
  speechMs?: number;
  digits?: Array<{ digits: string; atMs?: number; afterPlaybackStartMs?: number; playback?: number; gapMs?: number }>;
  /** Q.850 cause of a `reject` (default 21); 3 or 20 make an unreachable destination (Dial CHANUNAVAIL). */
  rejectCause?: number;
  /** Realistic mode: hold the REST answer that starts this far end's dial exactly this long (ms). */
  originateResponseDelayMs?: number;
}

/** One channel's record in the simulator's call log (GET /_sim/calls). */
export type AriSimCall = CallRecord;

/**
 * The simulator's mode (tools/ari-sim README, "Realistic mode"): `realistic` turns on Asterisk
 * 23.4.1's observed behaviour; delays in ms come from a PRNG seeded with `seed`.
 */
export type AriSimMode = SimMode;

/** Client of the ARI simulator's `/_sim` control API. */
export class AriSimControl {
  constructor(readonly baseUrl: string) {}

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await request(`${this.baseUrl}/_sim${path}`, {
      method: method as 'GET',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(5000),
    });
    const text = await res.body.text();
    if (res.statusCode >= 300) throw new Error(`ari-sim ${method} ${path}: ${res.statusCode} ${text}`);
    return (text ? JSON.parse(text) : null) as T;
  }

  /** Replaces the far-end rules (keeps the default answer-after-200-ms behaviour for unmatched numbers unless given). */
  async setRules(
    rules: AriSimRule[],
    fallback: Omit<AriSimRule, 'number' | 'prefix' | 'endpoint'> = { outcome: 'answer', answerAfterMs: 200 },
  ): Promise<void> {
    await this.call('PUT', '/scenarios', { default: fallback, rules });
  }

  /** Makes a call arrive from `from` to `to` into `app`; resolves with its channel id. */
  async inbound(from: string, to: string, app: string, scenario?: Omit<AriSimRule, 'number' | 'prefix' | 'endpoint'>): Promise<string> {
    return (await this.call<{ channelId: string }>('POST', '/inbound', { from, to, app, ...(scenario ? { scenario } : {}) })).channelId;
  }

  async pressDigits(channelId: string, digits: string): Promise<void> {
    await this.call('POST', `/channels/${encodeURIComponent(channelId)}/dtmf`, { digits });
  }

  async hangup(channelId: string, cause = 16): Promise<void> {
    await this.call('POST', `/channels/${encodeURIComponent(channelId)}/hangup`, { cause });
  }

  /** Closes the app's event WebSockets and refuses new ones for `refuseMs`. */
  async dropWebSockets(refuseMs = 0): Promise<void> {
    await this.call('POST', '/ws/drop', { refuseMs });
  }

  /** Makes a channel (and its Local `;2` half) disappear without any event: GET /ari/channels/{id} is 404 afterwards. */
  async vanish(channelId: string): Promise<void> {
    await this.call('POST', `/channels/${encodeURIComponent(channelId)}/vanish`);
  }

  async channels(): Promise<Array<{ id: string; state: string; app: string | null; bridgeId: string | null; inStasis: boolean }>> {
    return this.call('GET', '/channels');
  }

  /** Call log records, oldest first; `number` matches the dialed/called or the caller number. */
  async calls(filter: { channelId?: string; number?: string; app?: string } = {}): Promise<AriSimCall[]> {
    const q = new URLSearchParams(Object.entries(filter).filter(([, v]) => v) as Array<[string, string]>).toString();
    return this.call('GET', `/calls${q ? `?${q}` : ''}`);
  }

  /** The call log record of one channel, or undefined when the simulator has none. */
  async callRecord(channelId: string): Promise<AriSimCall | undefined> {
    return (await this.calls({ channelId }))[0];
  }

  /** The current mode. */
  async mode(): Promise<AriSimMode> {
    return this.call('GET', '/mode');
  }

  /** Switches the mode (fields left out keep their value) and restarts the seeded delays; resolves with the new mode. */
  async setMode(mode: Partial<AriSimMode>): Promise<AriSimMode> {
    return this.call('PUT', '/mode', mode);
  }

  /** Hangs every channel up and restores the start-up scenarios and mode (DELETE /_sim/reset). */
  async reset(): Promise<void> {
    await this.call('DELETE', '/reset');
  }
}
