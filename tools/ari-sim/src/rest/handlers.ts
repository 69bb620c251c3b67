/**
 * One handler per operation of the simulator's api-docs, keyed `resource.nickname`
 * (e.g. `channels.originate`). Each delegates to the simulator and maps the result to the
 * status Asterisk answers with: 200 + JSON, 201 + Location for play/record, 204 for void.
 * The answers that start a dial carry the far end's originateResponseDelayMs, which the server
 * applies in realistic mode.
 */
import { HANGUP_REASONS, Cause } from '../sim/causes';
import { AriError } from '../sim/errors';
import type { AriSimulator, OriginateRequest } from '../sim/simulator';
import { ariTimestamp } from '../sim/time';
import type { Params } from './router';

/** What a handler answers. */
export interface HandlerResult {
  status: number;
  json?: unknown;
  raw?: { data: Buffer; contentType: string };
  headers?: Record<string, string>;
  /** Realistic mode: hold the answer exactly this long (ms) instead of a random delay. */
  holdMs?: number;
}

/** An operation's implementation. */
export type Handler = (p: Params, sim: AriSimulator) => HandlerResult;

const ok = (json: unknown): HandlerResult => ({ status: 200, json });
const noContent = (): HandlerResult => ({ status: 204 });
const str = (p: Params, name: string): string | undefined => (p[name] === undefined ? undefined : String(p[name]));
const num = (p: Params, name: string): number | undefined => (typeof p[name] === 'number' ? p[name] : undefined);
const list = (p: Params, name: string): string[] => (Array.isArray(p[name]) ? (p[name] as string[]) : []);

function originateRequest(p: Params): OriginateRequest {
  const req: OriginateRequest = {};
  for (const k of [
    'endpoint',
    'extension',
    'context',
    'app',
    'appArgs',
    'callerId',
    'channelId',
    'otherChannelId',
    'originator',
    'formats',
  ] as const) {
    const v = str(p, k);
    if (v !== undefined) req[k] = v;
  }
  const priority = num(p, 'priority');
  if (priority !== undefined) req.priority = priority;
  const timeout = num(p, 'timeout');
  if (timeout !== undefined) req.timeout = timeout;
  const vars = p['variables'] as Record<string, unknown> | undefined;
  if (vars) req.variables = vars;
  return req;
}

/** Adds the far end's originateResponseDelayMs of a channel that starts dialing to its answer. */
function holdForDial(sim: AriSimulator, channelId: string, result: HandlerResult): HandlerResult {
  const holdMs = sim.lookup(channelId)?.farEnd.originateResponseDelayMs;
  return holdMs === undefined ? result : { ...result, holdMs };
}

function originate(p: Params, sim: AriSimulator): HandlerResult {
  const ch = sim.originate(originateRequest(p));
  return holdForDial(sim, ch.id, ok(ch));
}

/** DELETE /channels/{id} cause: reason_code (a number) wins over reason (a word); default 16. */
function hangupCause(p: Params): number {
  const code = str(p, 'reason_code');
  if (code !== undefined) {
    if (!/^\d+$/.test(code)) throw new AriError(400, 'Invalid reason for hangup provided');
    return Number(code);
  }
  const reason = str(p, 'reason');
  if (reason === undefined) return Cause.NORMAL_CLEARING;
  const cause = HANGUP_REASONS[reason];
  if (cause === undefined) throw new AriError(400, 'Invalid reason for hangup provided');
  return cause;
}

function play(p: Params, sim: AriSimulator): HandlerResult {
  const ch = sim.controlledAnswerable(String(p['channelId']));
  const opts: { lang?: string; offsetms?: number; skipms?: number; playbackId?: string } = {};
  const lang = str(p, 'lang');
  if (lang) opts.lang = lang;
  const offsetms = num(p, 'offsetms');
  if (offsetms !== undefined) opts.offsetms = offsetms;
  const skipms = num(p, 'skipms');
  if (skipms !== undefined) opts.skipms = skipms;
  const playbackId = str(p, 'playbackId');
  if (playbackId) opts.playbackId = playbackId;
  const pb = sim.media.play(ch, list(p, 'media'), opts);
  return { status: 201, json: pb, headers: { Location: `/playbacks/${encodeURIComponent(pb.id)}` } };
}

/** Handlers by `resource.nickname`. */
export const HANDLERS: Record<string, Handler> = {
  // channels.json
  'channels.list': (_p, sim) => ok(sim.listChannels().map((c) => c.toJson())),
  'channels.originate': originate,
  'channels.originateWithId': originate,
  'channels.create': (p, sim) => ok(sim.create(originateRequest(p))),
  'channels.get': (p, sim) => ok(sim.channel(String(p['channelId'])).toJson()),
  'channels.hangup': (p, sim) => {
    const cause = hangupCause(p);
    sim.hangup(String(p['channelId']), cause);
    return noContent();
  },
  'channels.continueInDialplan': (p, sim) => {
    const target: { context?: string; extension?: string; priority?: number } = {};
    const context = str(p, 'context');
    if (context) target.context = context;
    const extension = str(p, 'extension');
    if (extension) target.extension = extension;
    const priority = num(p, 'priority');
    if (priority !== undefined) target.priority = priority;
    sim.continueInDialplan(String(p['channelId']), target);
    return noContent();
  },
  'channels.move': (p, sim) => {
    sim.move(String(p['channelId']), String(p['app']), (str(p, 'appArgs') ?? '').split(',').filter(Boolean));
    return noContent();
  },
  'channels.answer': (p, sim) => {
    sim.answer(String(p['channelId']));
    return noContent();
  },
  'channels.ring': (p, sim) => {
    const ch = sim.controlledAnswerable(String(p['channelId']));
    sim.log.add(ch.id, 'ring');
    return noContent();
  },
  'channels.ringStop': (p, sim) => {
    const ch = sim.controlledAnswerable(String(p['channelId']));
    sim.log.add(ch.id, 'ring-stop');
    return noContent();
  },
  'channels.sendDTMF': (p, sim) => {
    const ch = sim.controlledAnswerable(String(p['channelId']));
    const dtmf = str(p, 'dtmf');
    if (!dtmf) throw new AriError(400, 'DTMF is required');
    sim.log.add(ch.id, 'dtmf-sent', { dtmf, before: p['before'], between: p['between'], duration: p['duration'], after: p['after'] });
    return noContent();
  },
  'channels.play': play,
  'channels.playWithId': play,
  'channels.record': (p, sim) => {
    const ch = sim.controlled(String(p['channelId']));
    const rec = sim.media.record(ch, {
      name: String(p['name']),
      format: String(p['format']),
      maxDurationSeconds: num(p, 'maxDurationSeconds') ?? 0,
      maxSilenceSeconds: num(p, 'maxSilenceSeconds') ?? 0,
      ifExists: str(p, 'ifExists') ?? 'fail',
      beep: p['beep'] === true,
      terminateOn: str(p, 'terminateOn') ?? 'none',
    });
    return { status: 201, json: rec, headers: { Location: `/recordings/live/${encodeURIComponent(rec.name)}` } };
  },
  'channels.getChannelVar': (p, sim) => {
    const value = sim.getVariable(String(p['channelId']), String(p['variable']));
    if (value === undefined) throw new AriError(404, 'Provided variable was not found');
    return ok({ value });
  },
  'channels.setChannelVar': (p, sim) => {
    sim.setVariable(String(p['channelId']), String(p['variable']), str(p, 'value') ?? '', p['report_events'] === true);
    return noContent();
  },
  'channels.dial': (p, sim) => {
    const id = String(p['channelId']);
    sim.dial(id, str(p, 'caller'), num(p, 'timeout') ?? 0);
    return holdForDial(sim, id, noContent());
  },

  // bridges.json
  'bridges.list': (_p, sim) => ok(sim.bridges.list()),
  'bridges.create': (p, sim) => {
    const opts: { type?: string; bridgeId?: string; name?: string } = {};
    for (const k of ['type', 'bridgeId', 'name'] as const) {
      const v = str(p, k);
      if (v !== undefined) opts[k] = v;
    }
    return ok(sim.bridges.create(opts));
  },
  'bridges.get': (p, sim) => ok(sim.bridges.get(String(p['bridgeId']))),
  'bridges.destroy': (p, sim) => {
    sim.bridges.destroy(String(p['bridgeId']));
    return noContent();
  },
  'bridges.addChannel': (p, sim) => {
    sim.bridges.add(String(p['bridgeId']), list(p, 'channel'));
    return noContent();
  },
  'bridges.removeChannel': (p, sim) => {
    sim.bridges.remove(String(p['bridgeId']), list(p, 'channel'));
    return noContent();
  },

  // playbacks.json
  'playbacks.get': (p, sim) => {
    const pb = sim.media.getPlayback(String(p['playbackId']));
    if (!pb) throw new AriError(404, 'Playback not found');
    return ok(pb);
  },
  'playbacks.stop': (p, sim) => {
    sim.media.stopPlayback(String(p['playbackId']));
    return noContent();
  },

  // recordings.json
  'recordings.listStored': (_p, sim) => ok(sim.store.list()),
  'recordings.getStored': (p, sim) => {
    const found = sim.store.find(String(p['recordingName']));
    if (!found) throw new AriError(404, 'Recording not found');
    return ok({ name: found.name, format: found.format });
  },
  'recordings.deleteStored': (p, sim) => {
    if (!sim.store.delete(String(p['recordingName']))) throw new AriError(404, 'Recording not found');
    return noContent();
  },
  'recordings.getStoredFile': (p, sim) => {
    const file = sim.store.read(String(p['recordingName']));
    if (!file) throw new AriError(404, 'Recording not found');
    return { status: 200, raw: file };
  },
  'recordings.getLive': (p, sim) => {
    const rec = sim.media.getLive(String(p['recordingName']));
    if (!rec) throw new AriError(404, 'Recording not found');
    return ok(rec);
  },
  'recordings.cancel': (p, sim) => {
    sim.media.endRecording(String(p['recordingName']), false);
    return noContent();
  },
  'recordings.stop': (p, sim) => {
    sim.media.endRecording(String(p['recordingName']), true);
    return noContent();
  },

  // applications.json
  'applications.list': (_p, sim) => ok(applicationNames(sim).map((name) => application(sim, name))),
  'applications.get': (p, sim) => {
    const name = String(p['applicationName']);
    if (!applicationNames(sim).includes(name)) throw new AriError(404, 'Application does not exist.');
    return ok(application(sim, name));
  },

  // asterisk.json
  'asterisk.getInfo': (p, sim) => {
    const only = list(p, 'only');
    const info: Record<string, unknown> = {
      build: { os: 'Linux', kernel: 'ari-sim', options: '', machine: process.arch, date: ariTimestamp(sim.startedAt), user: 'ari-sim' },
      system: { version: '20.0.0-ari-sim', entity_id: sim.options.asteriskId },
      config: { name: 'ari-sim', default_language: 'en', setid: { user: '', group: '' } },
      status: { startup_time: ariTimestamp(sim.startedAt), last_reload_time: ariTimestamp(sim.startedAt) },
    };
    if (only.length === 0) return ok(info);
    return ok(Object.fromEntries(Object.entries(info).filter(([k]) => only.includes(k))));
  },
  'asterisk.ping': (_p, sim) => ok({ asterisk_id: sim.options.asteriskId, ping: 'pong', timestamp: ariTimestamp() }),
};

/** Applications Asterisk would list: registered ones and those still holding channels. */
function applicationNames(sim: AriSimulator): string[] {
  const names = new Set(sim.hub.registeredApps());
  for (const ch of sim.listChannels()) if (ch.app) names.add(ch.app);
  return [...names].sort();
}

function application(sim: AriSimulator, name: string): Record<string, unknown> {
  return {
    name,
    channel_ids: sim
      .listChannels()
      .filter((c) => c.app === name)
      .map((c) => c.id),
    bridge_ids: sim.bridges.bridgeIdsOf(name),
    endpoint_ids: [],
    device_names: [],
    events_allowed: [],
    events_disallowed: [],
  };
}
