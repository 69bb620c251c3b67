/**
 * Bridges (bridges.json; resource_bridges.c). A bridge created over REST belongs to no
 * application until a Stasis channel joins it; from then on the channel's application is
 * subscribed to it and receives its events (ChannelEnteredBridge, ChannelLeftBridge,
 * BridgeDestroyed), as control.c subscribes the app when it adds a channel.
 */
import type { SimChannel } from './channel';
import type { CallLog } from './call-log';
import { AriError } from './errors';
import type { EventBody } from './event-hub';
import type { IdGenerator } from './ids';
import { ariTimestamp } from './time';

/** The Bridge model as serialized. */
export interface BridgeJson {
  id: string;
  technology: string;
  bridge_type: 'mixing' | 'holding';
  bridge_class: string;
  creator: string;
  name: string;
  channels: string[];
  video_mode: string;
  creationtime: string;
}

interface SimBridge {
  json: BridgeJson;
  /** Applications subscribed to the bridge. */
  apps: Set<string>;
}

/** What the registry needs from the simulator. */
export interface BridgeContext {
  channel(id: string): SimChannel | undefined;
  /** Sends an event to one application. */
  emitTo(app: string, event: EventBody): void;
  isRecording(ch: SimChannel): boolean;
  log: CallLog;
  ids: IdGenerator;
}

/** All bridges. */
export class BridgeRegistry {
  private readonly bridges = new Map<string, SimBridge>();

  constructor(private readonly ctx: BridgeContext) {}

  /**
   * POST /bridges: `type` is a comma separated list of attributes (holding makes a holding
   * bridge, anything else a mixing one).
   * @throws AriError 409 when bridgeId is taken.
   */
  create(opts: { type?: string; bridgeId?: string; name?: string }): BridgeJson {
    const id = opts.bridgeId || this.ctx.ids.uuid();
    if (this.bridges.has(id)) throw new AriError(409, 'Bridge with id already exists');
    const holding = (opts.type ?? '').split(',').some((t) => t.trim() === 'holding');
    const json: BridgeJson = {
      id,
      technology: holding ? 'holding_bridge' : 'simple_bridge',
      bridge_type: holding ? 'holding' : 'mixing',
      bridge_class: 'stasis',
      creator: 'Stasis',
      name: opts.name ?? '',
      channels: [],
      video_mode: 'talker',
      creationtime: ariTimestamp(),
    };
    this.bridges.set(id, { json, apps: new Set() });
    return { ...json, channels: [] };
  }

  /** All bridges. */
  list(): BridgeJson[] {
    return [...this.bridges.values()].map((b) => this.snapshot(b));
  }

  /** @throws AriError 404 when there is no such bridge. */
  get(id: string): BridgeJson {
    return this.snapshot(this.find(id));
  }

  /** Ids of bridges an application is subscribed to. */
  bridgeIdsOf(app: string): string[] {
    return [...this.bridges.values()].filter((b) => b.apps.has(app)).map((b) => b.json.id);
  }

  /**
   * DELETE /bridges/{id}: every channel leaves (ChannelLeftBridge), then BridgeDestroyed.
   * @throws AriError 404 when there is no such bridge.
   */
  destroy(id: string): void {
    const b = this.find(id);
    for (const chId of [...b.json.channels]) {
      const ch = this.ctx.channel(chId);
      if (ch) this.leave(ch);
    }
    this.bridges.delete(id);
    for (const app of b.apps) this.ctx.emitTo(app, { type: 'BridgeDestroyed', bridge: this.snapshot(b) });
  }

  /**
   * POST /bridges/{id}/addChannel. A channel already in another bridge moves.
   * @throws AriError 404 (bridge), 400 (channel not found), 422 (channel not in Stasis),
   * 409 (channel recording).
   */
  add(id: string, channelIds: string[]): void {
    const b = this.find(id);
    const chans = channelIds.map((cid) => {
      const ch = this.ctx.channel(cid);
      if (!ch) throw new AriError(400, 'Channel not found');
      if (!ch.inStasis) throw new AriError(422, 'Channel not in Stasis application');
      if (this.ctx.isRecording(ch)) throw new AriError(409, 'Channel currently recording');
      return ch;
    });
    for (const ch of chans) {
      if (ch.bridgeId === id) continue;
      if (ch.bridgeId) this.leave(ch);
      ch.bridgeId = id;
      b.json.channels.push(ch.id);
      if (ch.app) b.apps.add(ch.app);
      this.ctx.log.add(ch.id, 'bridge-enter', { bridgeId: id });
      this.broadcast(b, { type: 'ChannelEnteredBridge', bridge: this.snapshot(b), channel: ch.toJson() });
    }
  }

  /**
   * POST /bridges/{id}/removeChannel.
   * @throws AriError 404 (bridge), 400 (channel not found), 422 (channel not in this bridge).
   */
  remove(id: string, channelIds: string[]): void {
    this.find(id);
    const chans = channelIds.map((cid) => {
      const ch = this.ctx.channel(cid);
      if (!ch) throw new AriError(400, 'Channel not found');
      if (ch.bridgeId !== id) throw new AriError(422, 'Channel not in this bridge');
      return ch;
    });
    for (const ch of chans) this.leave(ch);
  }

  /** Takes a channel out of its bridge (removeChannel, hangup, move): ChannelLeftBridge. */
  leave(ch: SimChannel): void {
    const b = ch.bridgeId ? this.bridges.get(ch.bridgeId) : undefined;
    ch.bridgeId = undefined;
    if (!b) return;
    b.json.channels = b.json.channels.filter((c) => c !== ch.id);
    this.ctx.log.add(ch.id, 'bridge-leave', { bridgeId: b.json.id });
    this.broadcast(b, { type: 'ChannelLeftBridge', bridge: this.snapshot(b), channel: ch.toJson() }, ch.app);
  }

  /** Takes a vanished channel out of its bridge without events. */
  forget(ch: SimChannel): void {
    const b = ch.bridgeId ? this.bridges.get(ch.bridgeId) : undefined;
    ch.bridgeId = undefined;
    if (b) b.json.channels = b.json.channels.filter((c) => c !== ch.id);
  }

  /** Destroys every bridge without events (reset). */
  clear(): void {
    this.bridges.clear();
  }

  private find(id: string): SimBridge {
    const b = this.bridges.get(id);
    if (!b) throw new AriError(404, 'Bridge not found');
    return b;
  }

  private snapshot(b: SimBridge): BridgeJson {
    return { ...b.json, channels: [...b.json.channels] };
  }

  private broadcast(b: SimBridge, event: EventBody, extraApp?: string): void {
    const apps = new Set(b.apps);
    if (extraApp) apps.add(extraApp);
    for (const app of apps) this.ctx.emitTo(app, event);
  }
}
