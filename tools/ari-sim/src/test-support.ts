/**
 * Helpers for the simulator's own tests: a server on an ephemeral port, an event recorder with
 * waits, HTTP helpers, and minimal typings of ari-client 2.2.0 (which ships none).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { mergeModels, type DocLike } from './api-docs/conformance';
import type { ModelLike } from './api-docs/validate';
import { silentLogger } from '@gw/sim-kit';
import { AriSimServer } from './server';
import { parseScenarioSet } from './sim/scenarios';

/** ARI credentials of test servers. */
export const USER = 'gateway';
export const PASS = 's3cret:with:colons';

/** Parent of the test servers' recordings directories, removed after the importing test file. */
const scratch = mkdtempSync(join(tmpdir(), 'ari-sim-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Starts a simulator on 127.0.0.1 with an ephemeral port and a fresh recordings directory. */
export async function startTestServer(scenarios: unknown = {}): Promise<AriSimServer> {
  const server = new AriSimServer({
    host: '127.0.0.1',
    port: 0,
    username: USER,
    password: PASS,
    recordingsDir: mkdtempSync(join(scratch, 'recordings-')),
    scenarios: parseScenarioSet(scenarios),
    asteriskId: '02:00:00:00:00:01',
    logger: silentLogger,
  });
  await server.start();
  return server;
}

/** A received event with its arrival time (ms since epoch). */
export interface Received {
  at: number;
  event: Record<string, unknown> & { type: string };
}

/** Records events and waits for them. */
export class EventRecorder {
  readonly received: Received[] = [];

  /** Adds an event (call from a WebSocket or ari-client `*` listener). */
  push(event: Record<string, unknown>): void {
    this.received.push({ at: Date.now(), event: event as Received['event'] });
  }

  /** Events of a type concerning a channel id (in `channel`, `peer` or `playback.target_uri`). */
  forChannel(channelId: string, type?: string): Received[] {
    return this.received.filter((r) => (type === undefined || r.event.type === type) && concerns(r.event, channelId));
  }

  /**
   * Resolves with the first event (recorded at or after `since`) matching `pred`.
   * @throws after `timeoutMs` with the types seen, to make failures readable.
   */
  waitFor(pred: (e: Received['event']) => boolean, timeoutMs = 3000, since = 0): Promise<Received> {
    return new Promise((resolveWait, reject) => {
      const started = Date.now();
      const check = (): void => {
        const hit = this.received.find((r) => r.at >= since && pred(r.event));
        if (hit) return resolveWait(hit);
        if (Date.now() - started > timeoutMs) {
          const seen = this.received.slice(-15).map((r) => r.event.type);
          return reject(new Error(`event not received within ${timeoutMs} ms; last seen: ${seen.join(', ')}`));
        }
        setTimeout(check, 5);
      };
      check();
    });
  }
}

function concerns(e: Record<string, unknown>, channelId: string): boolean {
  const id = (x: unknown): unknown => (typeof x === 'object' && x !== null ? (x as { id?: unknown }).id : undefined);
  const target = (x: unknown): unknown => (typeof x === 'object' && x !== null ? (x as { target_uri?: unknown }).target_uri : undefined);
  return (
    id(e['channel']) === channelId ||
    id(e['peer']) === channelId ||
    target(e['playback']) === `channel:${channelId}` ||
    target(e['recording']) === `channel:${channelId}`
  );
}

/** fetch against the server with ARI Basic auth; returns status and parsed JSON (or text). */
export async function ari(
  server: AriSimServer,
  method: string,
  path: string,
  body?: unknown,
  auth = true,
): Promise<{ status: number; json: unknown }> {
  const headers: Record<string, string> = {};
  if (auth) headers['Authorization'] = `Basic ${Buffer.from(`${USER}:${PASS}`).toString('base64')}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(`${server.url}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  const text = await res.text();
  let json: unknown = text;
  try {
    json = text ? (JSON.parse(text) as unknown) : undefined;
  } catch {
    // not JSON
  }
  return { status: res.status, json };
}

/** Models of Asterisk's real api-docs (tools/ari-sim/api-docs, verbatim upstream copies), merged by id. */
export function realModels(): Record<string, ModelLike> {
  const dir = resolve(__dirname, '..', 'api-docs');
  const listing = JSON.parse(readFileSync(resolve(dir, 'resources.json'), 'utf8')) as { apis: Array<{ path: string }> };
  const docs: Record<string, DocLike> = {};
  for (const api of listing.apis) {
    const name = /\/api-docs\/(\w+)\.\{format\}/.exec(api.path)?.[1] as string;
    docs[name] = JSON.parse(readFileSync(resolve(dir, `${name}.json`), 'utf8')) as DocLike;
  }
  return mergeModels(docs) as Record<string, ModelLike>;
}

/** A resource object of ari-client (Channel, Playback, Bridge, ...): JSON fields plus operations. */
export interface AriObject {
  id: string;
  [field: string]: unknown;
}

/** One ari-client operation: options, optional instance to create, returns the result. */
export type AriOperation = (options?: Record<string, unknown>, instance?: AriObject) => Promise<unknown>;

/** The parts of an ari-client Client the tests use. */
export interface AriClient {
  on(event: string, listener: (event: Record<string, unknown>, resource?: unknown) => void): void;
  start(apps: string | string[], subscribeAll?: boolean): Promise<void>;
  stop(): void;
  channels: Record<string, AriOperation>;
  bridges: Record<string, AriOperation>;
  recordings: Record<string, AriOperation>;
  playbacks: Record<string, AriOperation>;
  applications: Record<string, AriOperation>;
  asterisk: Record<string, AriOperation>;
  Playback(): AriObject;
  Channel(): AriObject;
  Bridge(): AriObject;
  _swagger: { apis: Record<string, unknown> };
}

/** Calls an operation of an ari-client resource object (e.g. `invoke(channel, 'play', {...})`). */
export function invoke(obj: AriObject, op: string, options?: Record<string, unknown>, instance?: AriObject): Promise<unknown> {
  const fn = obj[op];
  if (typeof fn !== 'function') throw new Error(`no operation ${op}`);
  return (fn as AriOperation).call(obj, options, instance);
}
