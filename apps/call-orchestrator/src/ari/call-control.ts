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
 * playbacks, recordings resources), on one Asterisk server. Every request is bounded by a timeout.
 */
export interface CallControl {
  /** Name of the ARI server (of ARI_SERVERS) these operations go to. */
  readonly server: string;
  originate(req: OriginateRequest): Promise<void>;
  /** Moves a channel that is in Stasis into this replica's application (ARI `POST /channels/{id}/move`). */
  move(channelId: string, appArgs: string): Promise<void>;
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

/** Thrown when an ARI request got no answer within the timeout. */
export class AriTimeoutError extends Error {
  constructor(op: string, ms: number) {
    super(`ARI ${op}: no answer within ${ms} ms`);
  }
}

/**
 * CallControl over `ari-client` (REST), plus a direct GET for recording files (binary bodies).
 * ari-client's requests have no timeout of their own, so each one races `http.timeoutMs` (ms).
 */
export class AriCallControl implements CallControl {
  constructor(
    readonly server: string,
    private readonly client: () => Client,
    private readonly app: string,
    private readonly http: { url: string; username: string; password: string; timeoutMs: number },
  ) {}

  private timed<T>(op: string, request: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new AriTimeoutError(op, this.http.timeoutMs)), this.http.timeoutMs);
      request().then(
        (v) => {
          clearTimeout(timer);
          resolve(v);
        },
        (err: unknown) => {
          clearTimeout(timer);
          reject(err instanceof Error ? err : new Error(String(err)));
        },
      );
    });
  }

  async originate(req: OriginateRequest): Promise<void> {
    await this.timed('channels.originate', () =>
      this.client().channels.originate({
        endpoint: req.endpoint,
        channelId: req.channelId,
        app: this.app,
        appArgs: req.appArgs,
        callerId: req.callerId,
        timeout: req.timeoutS,
      }),
    );
  }

  async move(channelId: string, appArgs: string): Promise<void> {
    // ari-client builds `channels.move` from Asterisk's channels.json (Asterisk 16.13+); its typings lack it.
    const channels = this.client().channels as unknown as { move(p: { channelId: string; app: string; appArgs: string }): Promise<void> };
    await this.timed('channels.move', () => channels.move({ channelId, app: this.app, appArgs }));
  }

  async answer(channelId: string): Promise<void> {
    await this.timed('channels.answer', () => this.client().channels.answer({ channelId }));
  }

  async play(channelId: string, playbackId: string, media: string): Promise<void> {
    await this.timed('channels.play', () => this.client().channels.play({ channelId, playbackId, media }));
  }

  async stopPlayback(playbackId: string): Promise<void> {
    try {
      await this.timed('playbacks.stop', () => this.client().playbacks.stop({ playbackId }));
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  async playbackExists(playbackId: string): Promise<boolean> {
    try {
      await this.timed('playbacks.get', () => this.client().playbacks.get({ playbackId }));
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }

  async hangup(channelId: string, reason: string): Promise<void> {
    try {
      await this.timed('channels.hangup', () => this.client().channels.hangup({ channelId, reason }));
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  async getChannel(channelId: string): Promise<ChannelInfo | null> {
    try {
      const ch = await this.timed('channels.get', () => this.client().channels.get({ channelId }));
      return { id: ch.id, state: ch.state };
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  async record(channelId: string, name: string, opts: { maxDurationSeconds: number; beep: boolean; terminateOn: string }): Promise<void> {
    await this.timed('channels.record', () =>
      this.client().channels.record({
        channelId,
        name,
        format: 'wav',
        maxDurationSeconds: opts.maxDurationSeconds,
        beep: opts.beep,
        terminateOn: opts.terminateOn,
        ifExists: 'overwrite',
      }),
    );
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
    await this.timed('bridges.create', () => this.client().bridges.create({ type: 'mixing', bridgeId }));
  }

  async addToBridge(bridgeId: string, channelIds: string[]): Promise<void> {
    await this.timed('bridges.addChannel', () => this.client().bridges.addChannel({ bridgeId, channel: channelIds }));
  }

  async destroyBridge(bridgeId: string): Promise<void> {
    try {
      await this.timed('bridges.destroy', () => this.client().bridges.destroy({ bridgeId }));
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}
