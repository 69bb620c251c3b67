import type { Client } from 'ari-client';
import { request } from 'undici';

/** Originate request: `channelId` is chosen by the gateway so a restart can find the channel again. */
export interface OriginateRequest {
  channelId: string;
  endpoint: string;
  callerId: string;
  /** Ring time, seconds (ARI `timeout`). */
  timeoutS: number;
  appArgs: string;
}

/** A channel as ARI reports it, or null when it no longer exists. */
export interface ChannelInfo {
  id: string;
  state: string;
}

/**
 * The narrow set of ARI operations a call session needs (Asterisk ARI channels, bridges,
 * playbacks, recordings resources). Every call is bounded by the ARI client's request timeout.
 */
export interface CallControl {
  originate(req: OriginateRequest): Promise<void>;
  answer(channelId: string): Promise<void>;
  play(channelId: string, playbackId: string, media: string): Promise<void>;
  stopPlayback(playbackId: string): Promise<void>;
  playbackExists(playbackId: string): Promise<boolean>;
  hangup(channelId: string, reason: string): Promise<void>;
  getChannel(channelId: string): Promise<ChannelInfo | null>;
  record(channelId: string, name: string, opts: { maxDurationSeconds: number; beep: boolean; terminateOn: string }): Promise<void>;
  storedRecording(name: string): Promise<Buffer>;
  createBridge(bridgeId: string): Promise<void>;
  addToBridge(bridgeId: string, channelIds: string[]): Promise<void>;
  destroyBridge(bridgeId: string): Promise<void>;
}

function isNotFound(err: unknown): boolean {
  const msg = err instanceof Error ? err.message : String(err);
  return /not found|404/i.test(msg);
}

/** CallControl over `ari-client` (REST), plus a direct GET for recording files (binary bodies). */
export class AriCallControl implements CallControl {
  constructor(
    private readonly client: () => Client,
    private readonly app: string,
    private readonly http: { url: string; username: string; password: string; timeoutMs: number },
  ) {}

  async originate(req: OriginateRequest): Promise<void> {
    await this.client().channels.originate({
      endpoint: req.endpoint,
      channelId: req.channelId,
      app: this.app,
      appArgs: req.appArgs,
      callerId: req.callerId,
      timeout: req.timeoutS,
    });
  }

  async answer(channelId: string): Promise<void> {
    await this.client().channels.answer({ channelId });
  }

  async play(channelId: string, playbackId: string, media: string): Promise<void> {
    await this.client().channels.play({ channelId, playbackId, media });
  }

  async stopPlayback(playbackId: string): Promise<void> {
    try {
      await this.client().playbacks.stop({ playbackId });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  async playbackExists(playbackId: string): Promise<boolean> {
    try {
      await this.client().playbacks.get({ playbackId });
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }

  async hangup(channelId: string, reason: string): Promise<void> {
    try {
      await this.client().channels.hangup({ channelId, reason });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  async getChannel(channelId: string): Promise<ChannelInfo | null> {
    try {
      const ch = await this.client().channels.get({ channelId });
      return { id: ch.id, state: ch.state };
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  async record(channelId: string, name: string, opts: { maxDurationSeconds: number; beep: boolean; terminateOn: string }): Promise<void> {
    await this.client().channels.record({
      channelId,
      name,
      format: 'wav',
      maxDurationSeconds: opts.maxDurationSeconds,
      beep: opts.beep,
      terminateOn: opts.terminateOn,
      ifExists: 'overwrite',
    });
  }

  async storedRecording(name: string): Promise<Buffer> {
    const res = await request(`${this.http.url}/ari/recordings/stored/${encodeURIComponent(name)}/file`, {
      headers: { authorization: `Basic ${Buffer.from(`${this.http.username}:${this.http.password}`).toString('base64')}` },
      signal: AbortSignal.timeout(this.http.timeoutMs),
    });
    if (res.statusCode !== 200) {
      await res.body.dump();
      throw new Error(`recording ${name}: ARI answered ${res.statusCode}`);
    }
    return Buffer.from(await res.body.arrayBuffer());
  }

  async createBridge(bridgeId: string): Promise<void> {
    await this.client().bridges.create({ type: 'mixing', bridgeId });
  }

  async addToBridge(bridgeId: string, channelIds: string[]): Promise<void> {
    await this.client().bridges.addChannel({ bridgeId, channel: channelIds });
  }

  async destroyBridge(bridgeId: string): Promise<void> {
    try {
      await this.client().bridges.destroy({ bridgeId });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}
