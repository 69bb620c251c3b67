import { request } from 'undici';

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
}

/** One channel's record in the simulator's call log. */
export interface AriSimCall {
  channelId: string;
  number: string;
  endedBy?: string;
  actions: Array<{ action: string; [k: string]: unknown }>;
}

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

  async channels(): Promise<Array<{ id: string; state: string; app: string | null; bridge: string | null }>> {
    return this.call('GET', '/channels');
  }

  async calls(filter: { channelId?: string; number?: string } = {}): Promise<AriSimCall[]> {
    const q = new URLSearchParams(Object.entries(filter).filter(([, v]) => v) as Array<[string, string]>).toString();
    return this.call('GET', `/calls${q ? `?${q}` : ''}`);
  }
}
