import { EventEmitter } from 'node:events';
import ari, { Client } from 'ari-client';
import { AriEvent, HANDLED_EVENTS } from './ari-events';

export interface AriConnectionOptions {
  url: string;
  username: string;
  password: string;
  app: string;
  /** Cap of the reconnect backoff, ms (it starts at 250 ms and doubles). */
  maxBackoffMs: number;
  log: (level: 'info' | 'warn' | 'error', msg: string, extra?: Record<string, unknown>) => void;
}

/**
 * An ari-client connection that never gives up: ari-client retries its WebSocket 10 times and then
 * emits `WebSocketMaxRetries`; this class then builds a new client (reloading the API descriptions)
 * with exponential backoff, forever. Emits `event` (AriEvent) for every handled ARI event and
 * `ready` after every (re)connection, when the orchestrator must reconcile its calls.
 */
export class AriConnection extends EventEmitter {
  private current: Client | null = null;
  private stopped = false;
  private connecting: Promise<void> | null = null;

  constructor(private readonly opts: AriConnectionOptions) {
    super();
  }

  /** The live client. @throws Error while disconnected */
  client(): Client {
    if (!this.current) throw new Error('ARI is not connected');
    return this.current;
  }

  get connected(): boolean {
    return this.current !== null;
  }

  /** Connects in the background (resolves once the first connection is up). */
  start(): Promise<void> {
    this.connecting ??= this.connectLoop();
    return this.connecting;
  }

  stop(): void {
    this.stopped = true;
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
        const client = await ari.connect(this.opts.url, this.opts.username, this.opts.password);
        for (const type of HANDLED_EVENTS) {
          client.on(type as 'StasisStart', (event: unknown) => this.emit('event', event as AriEvent));
        }
        client.on('WebSocketReconnecting', () => this.opts.log('warn', 'ARI WebSocket lost; ari-client reconnecting'));
        client.on('WebSocketConnected', () => {
          this.opts.log('info', 'ARI WebSocket reconnected');
          this.emit('ready');
        });
        client.on('WebSocketMaxRetries', () => {
          this.opts.log('error', 'ARI WebSocket gave up after its retries; starting over');
          this.current = null;
          this.connecting = this.stopped ? null : this.connectLoop();
        });
        await client.start(this.opts.app);
        this.current = client;
        this.opts.log('info', 'ARI connected', { app: this.opts.app });
        this.emit('ready');
        return;
      } catch (err) {
        this.opts.log('warn', 'ARI connection failed; retrying', {
          reason: err instanceof Error ? err.message : String(err),
          backoff_ms: backoff,
        });
        await new Promise((r) => setTimeout(r, backoff));
        backoff = Math.min(backoff * 2, this.opts.maxBackoffMs);
      }
    }
  }
}
