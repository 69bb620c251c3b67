/**
 * Control API of the simulator, under /_sim on the ARI port, without authentication (the
 * simulator binds to loopback by default). JSON in, JSON out; errors are `{"error": "..."}`.
 *
 *   GET    /_sim/health                    {status, apps, sessions, channels, refusingWebSockets}
 *   GET    /_sim/scenarios                 the scenario set
 *   PUT    /_sim/scenarios                 replace it (sim/scenarios.ts shape); 400 {error}
 *   POST   /_sim/inbound                   {from, to, app, args?, fromName?, answered?, channelId?, endpoint?, context?, scenario?}
 *                                          -> 201 {channelId, name, channel}; 409 no WebSocket for app
 *   POST   /_sim/channels/{id}/dtmf        {digits (or digit), durationMs?, gapMs?} -> 202 {channelId, digits}
 *   POST   /_sim/channels/{id}/hangup      {cause?} far end hangs up (default 16) -> 202
 *   POST   /_sim/channels/{id}/vanish      the channel (and its Local ;2 half) is gone without any event -> 202 {channelId}
 *   GET    /_sim/channels                  live channels with state, app, Stasis, bridge
 *   GET    /_sim/calls[?channelId=&number=&app=]  call records (sim/call-log.ts)
 *   POST   /_sim/ws/drop                   {app?, refuseMs?, graceful?} -> {dropped}
 *   GET    /_sim/mode                      {realistic, seed, eventJitterMs, restDelayMaxMs}
 *   PUT    /_sim/mode                      same shape, fields left out unchanged; restarts the seeded delays -> the mode; 400 {error}
 *   DELETE /_sim/reset                     hang up everything, clear log/bridges/recordings, start-up scenarios and mode
 */
import { AriError } from '../sim/errors';
import { ModeError, parseMode, type SimMode } from '../sim/realism';
import { ScenarioError, parseScenarioSet, scenarioSetToJson, type ScenarioSet } from '../sim/scenarios';
import type { AriSimulator, InboundRequest } from '../sim/simulator';

/** A control API answer. */
export interface ControlResult {
  status: number;
  json: unknown;
}

/** Raised for bad control requests. */
class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Handles /_sim requests. */
export class ControlApi {
  constructor(
    private readonly sim: AriSimulator,
    private readonly startupScenarios: ScenarioSet,
    private readonly startupMode: SimMode,
  ) {}

  /**
   * Answers one request. `path` is below /_sim (e.g. `/channels/123/dtmf`); `body` is the parsed
   * JSON body or undefined.
   */
  handle(method: string, path: string, query: URLSearchParams, body: unknown): ControlResult {
    try {
      return this.route(method, path.replace(/\/+$/, '') || '/', query, body);
    } catch (err) {
      if (err instanceof ControlError || err instanceof AriError) return { status: err.status, json: { error: err.message } };
      if (err instanceof ScenarioError || err instanceof ModeError) return { status: 400, json: { error: err.message } };
      throw err;
    }
  }

  private route(method: string, path: string, query: URLSearchParams, body: unknown): ControlResult {
    const sim = this.sim;
    const chan = /^\/channels\/([^/]+)\/(dtmf|hangup|vanish)$/.exec(path);
    if (chan) {
      allow(method, 'POST');
      const id = decodeURIComponent(chan[1] as string);
      if (chan[2] === 'vanish') {
        sim.vanish(id);
        return { status: 202, json: { channelId: id } };
      }
      const o = object(body ?? {});
      if (chan[2] === 'dtmf') {
        const digits = o['digits'] ?? o['digit'];
        if (typeof digits !== 'string' || digits === '') throw new ControlError(400, 'digits is required');
        sim.pressDigits(id, digits, optInt(o, 'durationMs') ?? 100, optInt(o, 'gapMs') ?? 200);
        return { status: 202, json: { channelId: id, digits } };
      }
      sim.farEndHangup(id, optInt(o, 'cause') ?? 16);
      return { status: 202, json: { channelId: id } };
    }
    switch (path) {
      case '/health':
        allow(method, 'GET');
        return {
          status: 200,
          json: {
            status: 'ok',
            apps: sim.hub.registeredApps(),
            sessions: sim.hub.list(),
            channels: sim.listChannels().length,
            refusingWebSockets: sim.hub.refusing(),
          },
        };
      case '/scenarios':
        if (method === 'PUT') {
          sim.scenarios = parseScenarioSet(body ?? {});
          return { status: 200, json: scenarioSetToJson(sim.scenarios) };
        }
        allow(method, 'GET');
        return { status: 200, json: scenarioSetToJson(sim.scenarios) };
      case '/inbound': {
        allow(method, 'POST');
        const ch = sim.inbound(inboundRequest(object(body ?? {})));
        return { status: 201, json: { channelId: ch.id, name: ch.name, channel: ch.toJson() } };
      }
      case '/channels':
        allow(method, 'GET');
        return {
          status: 200,
          json: sim.listChannels().map((c) => ({
            ...c.toJson(),
            direction: c.direction,
            endpoint: c.endpoint,
            app: c.app ?? null,
            inStasis: c.inStasis,
            bridgeId: c.bridgeId ?? null,
          })),
        };
      case '/calls': {
        allow(method, 'GET');
        const filter: { channelId?: string; number?: string; app?: string } = {};
        for (const k of ['channelId', 'number', 'app'] as const) {
          const v = query.get(k);
          if (v) filter[k] = v;
        }
        return { status: 200, json: sim.log.list(filter) };
      }
      case '/ws/drop': {
        allow(method, 'POST');
        const o = object(body ?? {});
        const opts: { app?: string; refuseMs?: number; graceful?: boolean } = {};
        if (typeof o['app'] === 'string') opts.app = o['app'];
        const refuseMs = optInt(o, 'refuseMs');
        if (refuseMs !== undefined) opts.refuseMs = refuseMs;
        if (o['graceful'] === true) opts.graceful = true;
        return { status: 200, json: { dropped: sim.hub.drop(opts) } };
      }
      case '/mode':
        if (method === 'PUT') sim.realism.set(parseMode(body ?? {}, sim.realism.mode));
        else allow(method, 'GET');
        return { status: 200, json: sim.realism.mode };
      case '/reset':
        allow(method, 'DELETE');
        sim.reset(this.startupScenarios, this.startupMode);
        return { status: 200, json: { reset: true } };
      default:
        throw new ControlError(404, `no control endpoint ${path}`);
    }
  }
}

function inboundRequest(o: Record<string, unknown>): InboundRequest {
  for (const k of ['from', 'to', 'app']) {
    if (typeof o[k] !== 'string' || o[k] === '') throw new ControlError(400, `${k} is required (string)`);
  }
  const req: InboundRequest = { from: o['from'] as string, to: o['to'] as string, app: o['app'] as string };
  for (const k of ['fromName', 'channelId', 'endpoint', 'context'] as const) {
    if (o[k] === undefined) continue;
    if (typeof o[k] !== 'string') throw new ControlError(400, `${k} must be a string`);
    req[k] = o[k];
  }
  if (o['args'] !== undefined) {
    const args = o['args'];
    if (typeof args === 'string') req.args = args.split(',');
    else if (Array.isArray(args) && args.every((a) => typeof a === 'string')) req.args = args;
    else throw new ControlError(400, 'args must be a string or a list of strings');
  }
  if (o['answered'] !== undefined) req.answered = o['answered'] === true;
  if (o['scenario'] !== undefined) req.scenario = o['scenario'];
  return req;
}

function allow(method: string, expected: string): void {
  if (method !== expected) throw new ControlError(405, `use ${expected}`);
}

function object(v: unknown): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new ControlError(400, 'body must be a JSON object');
  return v as Record<string, unknown>;
}

function optInt(o: Record<string, unknown>, k: string): number | undefined {
  const v = o[k];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new ControlError(400, `${k} must be a non-negative integer`);
  return v;
}
