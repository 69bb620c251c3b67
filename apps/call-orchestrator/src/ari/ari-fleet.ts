import { EventEmitter } from 'node:events';
import { Counter } from 'prom-client';
import type { AriServerConfig } from '@gw/config';
import { METRICS } from '@gw/observability';
import { AriConnection } from './ari-connection';
import type { AriEvent } from './ari-events';
import { AriCallControl, CallControl } from './call-control';

const reconnects = new Counter({
  name: 'gw_ari_reconnects_total',
  help: "Reconnections of this replica's own-application event WebSocket to an ARI server",
  labelNames: ['server'] as const,
  registers: [METRICS],
});

type Log = (level: 'info' | 'warn' | 'error', msg: string, extra?: Record<string, unknown>) => void;

/** Settings of an AriFleet. */
export interface AriFleetOptions {
  servers: AriServerConfig[];
  /** This replica's own Stasis application: outbound calls and dial legs enter it. */
  ownApp: string;
  /** The application the dialplan sends inbound calls to; registered only where this replica holds the inbound role. */
  inboundApp: string;
  requestTimeoutMs: number;
  maxBackoffMs: number;
  /** A server whose event WebSocket stays down this long is reported `lost`, ms. */
  lostAfterMs: number;
  log: Log;
}

interface Member {
  config: AriServerConfig;
  own: AriConnection;
  inbound: AriConnection | null;
  control: CallControl;
  downSince: number | null;
  lostTimer: NodeJS.Timeout | null;
}

/**
 * The Asterisk servers one orchestrator replica drives. Per server: an event WebSocket for the
 * replica's own Stasis application (Asterisk sends an application's events to one WebSocket, so
 * each replica has its own), a CallControl bound to that server, and, while this replica holds
 * the server's inbound role, a second WebSocket for the shared inbound application.
 *
 * Emits `event` (server name, AriEvent), `ready` (server name) after every (re)connection of the
 * own application, and `lost` (server name) when a server stayed unreachable for `lostAfterMs`.
 * Each reconnection of the own application counts in `gw_ari_reconnects_total{server}`.
 */
export class AriFleet extends EventEmitter {
  private readonly members = new Map<string, Member>();

  constructor(private readonly opts: AriFleetOptions) {
    super();
    for (const config of opts.servers) {
      const own = this.connection(config, opts.ownApp);
      const member: Member = {
        config,
        own,
        inbound: null,
        control: new AriCallControl(config.name, () => own.client(), opts.ownApp, {
          url: config.url,
          username: config.username,
          password: config.password,
          timeoutMs: opts.requestTimeoutMs,
        }),
        downSince: Date.now(),
        lostTimer: null,
      };
      own.on('ready', (reconnection: boolean) => {
        if (reconnection) reconnects.inc({ server: config.name });
        this.onUp(member);
      });
      own.on('down', () => this.onDown(member));
      this.members.set(config.name, member);
      reconnects.inc({ server: config.name }, 0);
      this.armLost(member);
    }
  }

  /** Connects every server in the background; resolves when each has connected once or `waitMs` passed. */
  async start(waitMs: number): Promise<void> {
    const all = Promise.all([...this.members.values()].map((m) => m.own.start()));
    await Promise.race([all, new Promise((r) => setTimeout(r, waitMs).unref())]);
  }

  stop(): void {
    for (const m of this.members.values()) {
      if (m.lostTimer) clearTimeout(m.lostTimer);
      m.own.stop();
      m.inbound?.stop();
    }
  }

  /** Names of every configured server. */
  get names(): string[] {
    return [...this.members.keys()];
  }

  /** Names of the servers whose own-application WebSocket is open now. */
  healthy(): string[] {
    return [...this.members.values()].filter((m) => m.own.connected).map((m) => m.config.name);
  }

  isConnected(server: string): boolean {
    return this.members.get(server)?.own.connected === true;
  }

  /** CallControl of a server. @throws Error for a name not in ARI_SERVERS (e.g. a server removed from the configuration). */
  control(server: string): CallControl {
    const m = this.members.get(server);
    if (!m) throw new Error(`ARI server ${server} is not configured`);
    return m.control;
  }

  has(server: string): boolean {
    return this.members.has(server);
  }

  /** Registers (held) or drops (not held) the shared inbound application on a server. */
  setInboundRole(server: string, held: boolean): void {
    const m = this.members.get(server);
    if (!m || held === (m.inbound !== null)) return;
    if (held) {
      m.inbound = this.connection(m.config, this.opts.inboundApp);
      void m.inbound.start();
      this.opts.log('info', 'took the inbound application', { server, app: this.opts.inboundApp });
    } else {
      m.inbound?.stop();
      m.inbound = null;
      this.opts.log('info', 'gave up the inbound application', { server, app: this.opts.inboundApp });
    }
  }

  private connection(config: AriServerConfig, app: string): AriConnection {
    const c = new AriConnection({
      url: config.url,
      username: config.username,
      password: config.password,
      apps: [app],
      maxBackoffMs: this.opts.maxBackoffMs,
      connectTimeoutMs: this.opts.requestTimeoutMs,
      log: this.opts.log,
    });
    c.on('event', (e: AriEvent) => this.emit('event', config.name, e));
    return c;
  }

  private onUp(m: Member): void {
    m.downSince = null;
    if (m.lostTimer) clearTimeout(m.lostTimer);
    m.lostTimer = null;
    this.emit('ready', m.config.name);
  }

  private onDown(m: Member): void {
    m.downSince = Date.now();
    this.armLost(m);
  }

  private armLost(m: Member): void {
    if (m.lostTimer) clearTimeout(m.lostTimer);
    m.lostTimer = setTimeout(() => {
      m.lostTimer = null;
      if (m.downSince !== null) this.emit('lost', m.config.name);
    }, this.opts.lostAfterMs);
    m.lostTimer.unref();
  }
}

/** This replica's own Stasis application name: `<ARI_APP>-<ORCHESTRATOR_ID>` (dots become `-`). */
export function ownAppName(app: string, orchestratorId: string): string {
  return `${app}-${orchestratorId.replace(/[^A-Za-z0-9_-]/g, '-')}`;
}
