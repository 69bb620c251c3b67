/**
 * HTTP control API (JSON in, JSON out):
 *   GET    /health              200 {status:"ok", bound}
 *   GET    /scenarios           200 {rules, default}
 *   PUT    /scenarios           replace rules; 200 the stored set, 400 {error}
 *   DELETE /scenarios           back to the start-up set; 200 the set
 *   GET    /messages[?destination=&systemId=]  200 MessageRecord[] (system_id is an alias of systemId)
 *   GET    /messages/:messageId 200 MessageRecord, 404
 *   DELETE /messages            clear the log and cancel unsent receipts; 200 {cleared}
 *   POST   /mo                  {from,to,text,dataCoding?,systemId?}; 200 {sent:true}, 409 no bound receiver
 *                               of that account, 400 (also for an unknown systemId)
 *   GET    /stats               200 SmscStats (totals and per-account counters)
 *   GET    /limits              200 {maxSubmitsPerSecondPerBind}
 *   PUT    /limits              {maxSubmitsPerSecondPerBind} (alias max_submits_per_s_per_bind); 200 the limits, 400
 *   DELETE /limits              back to SMSC_MAX_SUBMITS_PER_S_PER_BIND; 200 the limits
 * Unknown paths 404, wrong methods 405, bodies over 1 MiB 413.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '@gw/sim-kit';
import { LimitsError, parseLimits } from './limits';
import type { MessageLog } from './message-log';
import { ScenarioError, parseScenarioSet, type ScenarioBook } from './scenarios';
import { MoEncodingError, type MoRequest, type SmscServer, UnknownAccountError } from './smsc-server';

const MAX_BODY = 1024 * 1024;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Dependencies of the control API. */
export interface ControlApiDeps {
  smsc: SmscServer;
  scenarios: ScenarioBook;
  messages: MessageLog;
  logger: Logger;
}

/** The control HTTP server. */
export class ControlApi {
  private readonly server: Server;

  constructor(private readonly deps: ControlApiDeps) {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => this.fail(res, err));
    });
  }

  /**
   * Starts listening; port 0 picks a free port.
   * @returns the bound port.
   * @throws the listen error (e.g. EADDRINUSE).
   */
  async listen(port: number, host: string): Promise<number> {
    this.server.listen(port, host);
    await once(this.server, 'listening');
    return (this.server.address() as AddressInfo).port;
  }

  /** Stops listening and drops idle keep-alive connections. */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const method = req.method ?? 'GET';
    const { smsc, scenarios, messages } = this.deps;

    if (path === '/health') {
      allow(method, ['GET']);
      return send(res, 200, { status: 'ok', bound: smsc.boundCount() });
    }
    if (path === '/stats') {
      allow(method, ['GET']);
      return send(res, 200, smsc.stats());
    }
    if (path === '/scenarios') {
      allow(method, ['GET', 'PUT', 'DELETE']);
      if (method === 'PUT') {
        const set = parseScenarioSet(await readJson(req));
        scenarios.replace(set);
        this.deps.logger.log('info', 'scenarios.replaced', { rules: set.rules.length });
      } else if (method === 'DELETE') {
        scenarios.reset();
        this.deps.logger.log('info', 'scenarios.reset');
      }
      return send(res, 200, scenarios.get());
    }
    if (path === '/messages') {
      allow(method, ['GET', 'DELETE']);
      if (method === 'DELETE') {
        return send(res, 200, { cleared: smsc.clearMessages() });
      }
      const destination = url.searchParams.get('destination');
      const systemId = url.searchParams.get('systemId') ?? url.searchParams.get('system_id');
      return send(
        res,
        200,
        messages.list({ ...(destination === null ? {} : { destination }), ...(systemId === null ? {} : { systemId }) }),
      );
    }
    const byId = /^\/messages\/([^/]+)$/.exec(path);
    if (byId) {
      allow(method, ['GET']);
      const rec = messages.byId(decodeURIComponent(byId[1]!));
      if (!rec) throw new HttpError(404, 'no such message');
      return send(res, 200, rec);
    }
    if (path === '/mo') {
      allow(method, ['POST']);
      const body = await readJson(req);
      const mo = parseMo(body);
      if (!smsc.sendMo(mo)) {
        throw new HttpError(409, `no transceiver or receiver session${mo.systemId === undefined ? '' : ` of ${mo.systemId}`} is bound`);
      }
      return send(res, 200, { sent: true });
    }
    if (path === '/limits') {
      allow(method, ['GET', 'PUT', 'DELETE']);
      if (method === 'PUT') {
        smsc.setLimits(parseLimits(await readJson(req)));
        this.deps.logger.log('info', 'limits.replaced', { ...smsc.limits() });
      } else if (method === 'DELETE') {
        smsc.resetLimits();
        this.deps.logger.log('info', 'limits.reset', { ...smsc.limits() });
      }
      return send(res, 200, smsc.limits());
    }
    throw new HttpError(404, 'not found');
  }

  private fail(res: ServerResponse, err: unknown): void {
    if (err instanceof HttpError) return send(res, err.status, { error: err.message });
    if (
      err instanceof ScenarioError ||
      err instanceof MoEncodingError ||
      err instanceof LimitsError ||
      err instanceof UnknownAccountError
    ) {
      return send(res, 400, { error: err.message });
    }
    this.deps.logger.log('error', 'control.failed', { error: String(err) });
    send(res, 500, { error: 'internal error' });
  }
}

function allow(method: string, methods: string[]): void {
  if (!methods.includes(method)) throw new HttpError(405, `use ${methods.join(', ')}`);
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new HttpError(413, 'body too large');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') throw new HttpError(400, 'JSON body required');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpError(400, 'body is not valid JSON');
  }
}

function parseMo(body: unknown): MoRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new HttpError(400, 'body must be an object');
  const b = body as Record<string, unknown>;
  for (const k of ['from', 'to'] as const) {
    if (typeof b[k] !== 'string' || !/^\+?[0-9A-Za-z]{1,20}$/.test(b[k])) {
      throw new HttpError(400, `${k} must be an address of 1-20 letters or digits, optional leading +`);
    }
  }
  if (typeof b['text'] !== 'string') throw new HttpError(400, 'text must be a string');
  const dc = b['dataCoding'];
  if (dc !== undefined && (typeof dc !== 'number' || !Number.isInteger(dc))) throw new HttpError(400, 'dataCoding must be an integer');
  const systemId = b['systemId'] ?? b['system_id'];
  if (systemId !== undefined && (typeof systemId !== 'string' || systemId === '')) {
    throw new HttpError(400, 'systemId must be a non-empty string');
  }
  return {
    from: b['from'] as string,
    to: b['to'] as string,
    text: b['text'],
    ...(dc === undefined ? {} : { dataCoding: dc }),
    ...(systemId === undefined ? {} : { systemId }),
  };
}
