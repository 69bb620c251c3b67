/**
 * The simulator's HTTP + WebSocket server, on one port like Asterisk's http.conf server:
 *   /ari/api-docs/resources.json, /ari/api-docs/{resource}.json   the simulator's own descriptions
 *   /ari/...                                                       REST operations (rest/handlers.ts)
 *   /ari/events?app=NAME[,NAME2][&subscribeAll=true]               event WebSocket
 *   /_sim/...                                                      control API (control/control-api.ts)
 * /ari requires the ARI user: HTTP Basic or `api_key=user:password` in the query, else 401.
 * In realistic mode every /ari operation's answer is held 0..restDelayMaxMs (or a far end's
 * originateResponseDelayMs) after the operation took effect, so its events may arrive first.
 */
import { once } from 'node:events';
import { STATUS_CODES, createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { apiDeclaration, resourceListing } from './api-docs';
import { EVENTS_APIS } from './api-docs/events';
import { APPLICATIONS_APIS, ASTERISK_APIS, BRIDGES_APIS, CHANNELS_APIS, PLAYBACKS_APIS, RECORDINGS_APIS } from './api-docs/resources';
import type { SimulatorConfig } from './config';
import { ControlApi } from './control/control-api';
import type { Logger } from '@gw/sim-kit';
import { HANDLERS } from './rest/handlers';
import { buildRoutes, matchRoute, readParams, type Route } from './rest/router';
import { AriError } from './sim/errors';
import { DEFAULT_MODE, type SimMode } from './sim/realism';
import { AriSimulator } from './sim/simulator';

const MAX_BODY = 1024 * 1024;

/** Call actions logged at info level (the rest at debug). */
const CALL_MILESTONES = new Set(['originate', 'create', 'inbound', 'answered', 'stasis-failed', 'dial-failed', 'destroyed']);

/**
 * Settings of a server instance: the resolved configuration (debug aside, which the logger
 * carries; mode optional, default plain) and where to log.
 */
export type ServerOptions = Omit<SimulatorConfig, 'debug' | 'mode'> & { logger: Logger; mode?: SimMode };

/** Every REST route, checked at construction to have a handler. */
export function restRoutes(): Route[] {
  const routes = buildRoutes({
    asterisk: ASTERISK_APIS,
    channels: CHANNELS_APIS,
    bridges: BRIDGES_APIS,
    recordings: RECORDINGS_APIS,
    playbacks: PLAYBACKS_APIS,
    events: EVENTS_APIS,
    applications: APPLICATIONS_APIS,
  });
  for (const r of routes) {
    if (!HANDLERS[`${r.resource}.${r.op.nickname}`]) throw new Error(`no handler for ${r.resource}.${r.op.nickname}`);
  }
  return routes;
}

/** A running simulator: `sim` for direct access in tests, `port` once started. */
export class AriSimServer {
  readonly sim: AriSimulator;
  port = 0;
  private readonly http: Server;
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly routes = restRoutes();
  private readonly control: ControlApi;

  constructor(private readonly opts: ServerOptions) {
    const mode = opts.mode ?? DEFAULT_MODE;
    this.sim = new AriSimulator({ asteriskId: opts.asteriskId, recordingsDir: opts.recordingsDir, scenarios: opts.scenarios, mode });
    this.control = new ControlApi(this.sim, opts.scenarios, mode);
    this.sim.hub.onDelivery((app, event, delivered) => opts.logger.log('debug', 'event', { app, delivered, event }));
    this.sim.log.onAction((record, { at: _at, action, ...details }) => {
      const level = CALL_MILESTONES.has(action) ? 'info' : 'debug';
      opts.logger.log(level, `call.${action}`, { channelId: record.channelId, number: record.number, ...details });
    });
    this.http = createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        opts.logger.log('error', 'request.failed', { method: req.method, url: req.url, error: String(err) });
        if (!res.headersSent) send(res, 500, { message: 'Internal Server Error' });
        else res.destroy();
      });
    });
    this.http.on('upgrade', (req, socket, head) => this.upgrade(req, socket, head));
  }

  /** `http://host:port`, valid after start(). */
  get url(): string {
    return `http://${this.opts.host}:${this.port}`;
  }

  /**
   * Starts listening.
   * @returns the bound port.
   * @throws the listen error (e.g. EADDRINUSE).
   */
  async start(): Promise<number> {
    this.http.listen(this.opts.port, this.opts.host);
    await once(this.http, 'listening');
    this.port = (this.http.address() as AddressInfo).port;
    this.opts.logger.log('info', 'listening', { url: this.url, recordingsDir: this.opts.recordingsDir, mode: this.sim.realism.mode });
    return this.port;
  }

  /** Closes sockets and the server and stops every simulator timer. */
  async stop(): Promise<void> {
    this.sim.stop();
    this.sim.hub.drop({ graceful: true });
    for (const ws of this.wss.clients) ws.terminate();
    const closed = new Promise<void>((resolve) => this.http.close(() => resolve()));
    this.http.closeAllConnections();
    await closed;
  }

  private authorized(req: IncomingMessage, url: URL): boolean {
    const apiKey = url.searchParams.get('api_key');
    if (apiKey !== null) return apiKey === `${this.opts.username}:${this.opts.password}`;
    const header = req.headers.authorization ?? '';
    const m = /^Basic\s+(\S+)$/i.exec(header);
    if (!m) return false;
    return Buffer.from(m[1] as string, 'base64').toString('utf8') === `${this.opts.username}:${this.opts.password}`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = req.method ?? 'GET';
    const path = url.pathname;
    if (path === '/_sim' || path.startsWith('/_sim/')) {
      const body = await readBody(req);
      if (body.invalid) return send(res, 400, { error: 'body is not valid JSON' });
      const result = this.control.handle(method, path.slice('/_sim'.length), url.searchParams, body.json);
      this.opts.logger.log('debug', 'control', { method, path, status: result.status });
      return send(res, result.status, result.json);
    }
    if (!path.startsWith('/ari/')) return send(res, 404, { message: 'Not found' });
    if (!this.authorized(req, url)) {
      res.setHeader('WWW-Authenticate', 'Basic realm="Asterisk REST Interface"');
      return send(res, 401, { message: 'Authentication required' });
    }
    const rel = path.slice('/ari'.length);
    const docs = /^\/api-docs\/([A-Za-z]+)\.json$/.exec(rel);
    if (docs) {
      if (method !== 'GET') return send(res, 405, { message: 'Invalid method' });
      const basePath = `http://${req.headers.host ?? `${this.opts.host}:${this.port}`}/ari`;
      const name = docs[1] as string;
      const doc = name === 'resources' ? resourceListing(basePath) : apiDeclaration(name, basePath);
      return doc ? send(res, 200, doc) : send(res, 404, { message: 'Resource not found' });
    }
    const match = matchRoute(this.routes, method, rel);
    if ('status' in match) return send(res, match.status, { message: match.status === 404 ? 'Resource not found' : 'Invalid method' });
    const handler = HANDLERS[`${match.route.resource}.${match.route.op.nickname}`];
    try {
      const body = await readBody(req);
      if (body.invalid) throw new AriError(400, 'Invalid JSON body');
      if (!handler) throw new AriError(501, 'Not implemented');
      const params = readParams(match.route.op, match.pathValues, url.searchParams, body.fields);
      const result = handler(params, this.sim);
      await this.hold(result.holdMs);
      this.opts.logger.log('debug', 'ari', {
        method,
        path: rel,
        op: `${match.route.resource}.${match.route.op.nickname}`,
        status: result.status,
      });
      for (const [k, v] of Object.entries(result.headers ?? {})) res.setHeader(k, v);
      if (result.raw) {
        res.writeHead(result.status, { 'Content-Type': result.raw.contentType, 'Content-Length': result.raw.data.length });
        res.end(result.raw.data);
        return;
      }
      return send(res, result.status, result.json);
    } catch (err) {
      if (!(err instanceof AriError)) throw err;
      await this.hold();
      this.opts.logger.log('debug', 'ari', { method, path: rel, status: err.status, message: err.message });
      return send(res, err.status, { message: err.message });
    }
  }

  /**
   * Realistic mode: waits `exactMs`, or a random 0..restDelayMaxMs, before the answer is written
   * (Asterisk publishes an operation's events while its HTTP answer is still on the way).
   */
  private async hold(exactMs?: number): Promise<void> {
    if (!this.sim.realism.realistic) return;
    const ms = exactMs ?? this.sim.realism.restDelayMs();
    if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const reject = (status: number, message: string): void => {
      const body = JSON.stringify({ message });
      socket.end(
        `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\n` +
          `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    };
    if (url.pathname !== '/ari/events') return reject(404, 'Not found');
    if (!this.authorized(req, url)) return reject(401, 'Authentication required');
    const apps = url.searchParams
      .getAll('app')
      .flatMap((a) => a.split(','))
      .map((a) => a.trim())
      .filter(Boolean);
    if (apps.length === 0) return reject(400, "Missing param 'app'");
    if (this.sim.hub.refusing()) {
      this.opts.logger.log('info', 'ws.refused', { apps });
      return reject(503, 'Event WebSockets are refused for now (simulated outage)');
    }
    const subscribeAll = /^(yes|true|y|t|1|on)$/i.test(url.searchParams.get('subscribeAll') ?? '');
    this.wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
      const session = this.sim.hub.connect(ws, apps, subscribeAll);
      this.opts.logger.log('info', 'ws.connected', { session: session.id, apps, subscribeAll });
      ws.on('close', () => {
        this.sim.hub.disconnect(session);
        this.opts.logger.log('info', 'ws.closed', { session: session.id, apps });
      });
      ws.on('error', (err) => this.opts.logger.log('warn', 'ws.error', { session: session.id, error: err.message }));
    });
  }
}

interface Body {
  /** Parsed JSON, when the body was JSON. */
  json: unknown;
  /** Parameter fields: a JSON object body or urlencoded form fields. */
  fields: Record<string, unknown> | undefined;
  invalid: boolean;
}

async function readBody(req: IncomingMessage): Promise<Body> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new AriError(413, 'Request body too large');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return { json: undefined, fields: undefined, invalid: false };
  const type = req.headers['content-type'] ?? '';
  if (type.startsWith('application/x-www-form-urlencoded')) {
    return { json: undefined, fields: Object.fromEntries(new URLSearchParams(text)), invalid: false };
  }
  try {
    const json = JSON.parse(text) as unknown;
    const fields = typeof json === 'object' && json !== null && !Array.isArray(json) ? (json as Record<string, unknown>) : undefined;
    return { json, fields, invalid: false };
  } catch {
    return { json: undefined, fields: undefined, invalid: true };
  }
}

function send(res: ServerResponse, status: number, json: unknown): void {
  if (status === 204 || json === undefined) {
    res.writeHead(status);
    res.end();
    return;
  }
  const body = JSON.stringify(json);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}
