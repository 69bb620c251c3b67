import { EventEmitter } from 'node:events';
import ari, { Client } from 'ari-client';
import { AriEvent, HANDLED_EVENTS } from './ari-events';

export interface AriConnectionOptions {
  url: string;
  username: string;
  password: string;
  /** Stasis applications this connection's event WebSocket registers. */
  apps: string[];
  /** Cap of the reconnect backoff, ms (it starts at 250 ms and doubles). */
  maxBackoffMs: number;
  /** Time one connection attempt (API descriptions, then the event WebSocket) may take, ms. */
  connectTimeoutMs: number;
  log: (level: 'info' | 'warn' | 'error', msg: string, extra?: Record<string, unknown>) => void;
}

/**
 * An ari-client connection that never gives up: ari-client retries its WebSocket 10 times and then
 * emits `WebSocketMaxRetries`; this class then builds a new client (reloading the API descriptions)
 * with exponential backoff, forever. Emits `event` (AriEvent) for every handled ARI event,
 * `ready` (true for a reconnection, false for the first connection) after every (re)connection,
 * when the orchestrator must reconcile its calls, and `down`
 * when the event WebSocket is lost (events may be missed until the next `ready`).
 */
export class AriConnection extends EventEmitter {
  private current: Client | null = null;
  private stopped = false;
  private connecting: Promise<void> | null = null;
  private up = false;
  /** Whether the event WebSocket was open before: each later `ready` is a reconnection. */
  private connectedBefore = false;

  constructor(private readonly opts: AriConnectionOptions) {
    super();
  }

  /** The live client. @throws Error while disconnected */
  client(): Client {
    if (!this.current) throw new Error('ARI is not connected');
    return this.current;
  }

  /** True while the event WebSocket is open (REST requests may still fail). */
  get connected(): boolean {
    return this.current !== null && this.up;
  }

  /** Connects in the background (resolves once the first connection is up). */
  start(): Promise<void> {
    this.connecting ??= this.connectLoop();
    return this.connecting;
  }

  stop(): void {
    this.stopped = true;
    this.up = false;
    try {
      this.current?.stop();
    } catch {
      // already closed
    }
    this.current = null;
  }

  private async connectLoop(): Promise<void> {
    let backoff = 250;
    while (!this.stopped) {
      try {
        const client = await this.withTimeout(
          ari.connect(this.opts.url, this.opts.username, this.opts.password),
          'loading the API descriptions',
        );
        for (const type of HANDLED_EVENTS) {
          client.on(type as 'StasisStart', (event: unknown) => this.emit('event', event as AriEvent));
        }
        // Until start() resolved, these belong to the first connection, which the loop reports itself.
        client.on('WebSocketReconnecting', () => {
          if (this.current !== client) return;
          this.opts.log('warn', 'ARI WebSocket lost; ari-client reconnecting', { url: this.opts.url });
          this.setUp(false);
        });
        client.on('WebSocketConnected', () => {
          if (this.current !== client) return;
          this.opts.log('info', 'ARI WebSocket reconnected', { url: this.opts.url });
          this.setUp(true);
        });
        client.on('WebSocketMaxRetries', () => {
          // While start() is pending this attempt's own catch retries; only a live client restarts the loop.
          if (this.current !== client) return;
          this.opts.log('error', 'ARI WebSocket gave up after its retries; starting over', { url: this.opts.url });
          this.current = null;
          this.setUp(false);
          this.connecting = this.stopped ? null : this.connectLoop();
        });
        try {
          await this.withTimeout(client.start(this.opts.apps), 'opening the event WebSocket');
        } catch (err) {
          // ari-client may still have a retry scheduled that it cannot cancel: close what it opens.
          client.on('WebSocketConnected', () => client.stop());
          client.stop();
          throw err;
        }
        if (this.stopped) {
          client.stop();
          return;
        }
        this.current = client;
        this.opts.log('info', 'ARI connected', { url: this.opts.url, apps: this.opts.apps });
        this.setUp(true);
        return;
      } catch (err) {
        this.opts.log('warn', 'ARI connection failed; retrying', {
          url: this.opts.url,
          reason: err instanceof Error ? err.message : String(err),
          backoff_ms: backoff,
        });
        await new Promise((r) => setTimeout(r, backoff));
        backoff = Math.min(backoff * 2, this.opts.maxBackoffMs);
      }
    }
  }

  /**
   * ari-client sets no deadline of its own: its start() stays pending when a retried WebSocket
   * closes without an error event after an earlier attempt failed (it retries only on the error),
   * and its API description requests have no timeout. @throws Error naming the step when `connectTimeoutMs` passes first.
   */
  private async withTimeout<T>(work: Promise<T>, step: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${step} took over ${this.opts.connectTimeoutMs} ms`)), this.opts.connectTimeoutMs);
    });
    try {
      return await Promise.race([work, deadline]);
    } finally {
      clearTimeout(timer);
    }
  }

  private setUp(up: boolean): void {
    const was = this.up;
    this.up = up;
    if (up) {
      this.emit('ready', this.connectedBefore);
      this.connectedBefore = true;
    } else if (was) this.emit('down');
  }
}
