/**
 * Event WebSocket sessions and routing (ARI events.json `/events`). An application is
 * registered while a socket subscribed to it is open; like Asterisk, a newer socket for the same
 * application takes its events and the older one receives ApplicationReplaced and nothing else
 * for that application. Events for an application without a socket are dropped, as Asterisk
 * drops them. `subscribeAll` sessions also get every other application's events.
 *
 * Delivery may be delayed (realistic mode): each event is stamped when it happens and routed
 * when its delay is over, in order per channel and per bridge (event-order.ts).
 */
import type { EventType } from '../api-docs/events';
import { OrderedDelivery } from './event-order';
import { ariTimestamp } from './time';

/** The part of a WebSocket the hub needs (ws.WebSocket satisfies it). */
export interface EventSocket {
  send(data: string): void;
  close(code?: number, reason?: string): void;
  terminate(): void;
  /** 1 = OPEN, as in the WebSocket API. */
  readonly readyState: number;
}

/** One connected event socket. */
export interface Session {
  id: number;
  apps: string[];
  subscribeAll: boolean;
  socket: EventSocket;
  connectedAt: string;
}

/** An event before the hub adds `application`, `timestamp` and `asterisk_id`. */
export interface EventBody {
  type: EventType;
  [field: string]: unknown;
}

/** Called for every event delivered (for logs and tests). */
export type DeliveryListener = (app: string, event: Record<string, unknown>, delivered: boolean) => void;

/** Routes events to sockets by application name. */
export class EventHub {
  private readonly sessions = new Set<Session>();
  private readonly owners = new Map<string, Session>();
  private nextId = 1;
  private refuseUntil = 0;
  private listener: DeliveryListener | undefined;
  private readonly delivery = new OrderedDelivery();

  /**
   * @param asteriskId `asterisk_id` of every event.
   * @param delayMs delivery delay (ms) of the next event; 0 delivers at once.
   */
  constructor(
    private readonly asteriskId: string,
    private readonly delayMs: () => number = () => 0,
  ) {}

  /** Sets the delivery listener. */
  onDelivery(listener: DeliveryListener): void {
    this.listener = listener;
  }

  /** Registers a new socket for `apps`; previous owners of those apps get ApplicationReplaced. */
  connect(socket: EventSocket, apps: string[], subscribeAll: boolean): Session {
    const session: Session = { id: this.nextId++, apps, subscribeAll, socket, connectedAt: ariTimestamp() };
    for (const app of apps) {
      const previous = this.owners.get(app);
      if (previous && previous !== session) this.sendTo(previous, app, this.stamp({ type: 'ApplicationReplaced' }));
      this.owners.set(app, session);
    }
    this.sessions.add(session);
    return session;
  }

  /** Forgets a closed socket; its applications become unregistered unless replaced meanwhile. */
  disconnect(session: Session): void {
    this.sessions.delete(session);
    for (const app of session.apps) if (this.owners.get(app) === session) this.owners.delete(app);
  }

  /** True while an open socket is subscribed to `app`. */
  isRegistered(app: string): boolean {
    return this.owners.has(app);
  }

  /** Names of the registered applications. */
  registeredApps(): string[] {
    return [...this.owners.keys()].sort();
  }

  /** Connected sessions (for GET /_sim/health). */
  list(): Array<Omit<Session, 'socket'>> {
    return [...this.sessions].map(({ socket: _socket, ...rest }) => rest);
  }

  /**
   * Sends an event to the socket owning `app` (and to subscribeAll sessions of other apps), now
   * or after the delivery delay; the routing happens at delivery.
   */
  emit(app: string | undefined, event: EventBody): void {
    const stamped = this.stamp(event);
    this.delivery.schedule(orderKeys(event), this.delayMs(), () => this.route(app, stamped));
  }

  /** Drops events still waiting for their delivery time (shutdown). */
  dropPending(): void {
    this.delivery.clear();
  }

  /**
   * Closes event sockets (all, or those of one application): abruptly by default (TCP reset,
   * like an Asterisk crash), or with a close frame (code 1001, like a shutdown). With
   * `refuseMs`, new event sockets are refused with HTTP 503 for that long.
   * @returns how many sockets were closed.
   */
  drop(opts: { app?: string; refuseMs?: number; graceful?: boolean } = {}): number {
    if (opts.refuseMs) this.refuseUntil = Date.now() + opts.refuseMs;
    let n = 0;
    for (const s of [...this.sessions]) {
      if (opts.app !== undefined && !s.apps.includes(opts.app)) continue;
      this.disconnect(s);
      if (opts.graceful) s.socket.close(1001, 'simulated shutdown');
      else s.socket.terminate();
      n += 1;
    }
    return n;
  }

  /** True while new event sockets are being refused. */
  refusing(): boolean {
    return Date.now() < this.refuseUntil;
  }

  /** Stops refusing new sockets. */
  accept(): void {
    this.refuseUntil = 0;
  }

  private route(app: string | undefined, event: StampedEvent): void {
    if (app !== undefined) {
      const owner = this.owners.get(app);
      if (owner) this.sendTo(owner, app, event);
      else this.listener?.(app, { ...event, application: app }, false);
    }
    for (const s of this.sessions) {
      if (!s.subscribeAll) continue;
      for (const other of s.apps) {
        if (other !== app && this.owners.get(other) === s) this.sendTo(s, other, event);
      }
    }
  }

  private stamp(body: EventBody): StampedEvent {
    return { ...body, timestamp: ariTimestamp(), asterisk_id: this.asteriskId };
  }

  private sendTo(session: Session, app: string, stamped: StampedEvent): void {
    const event = { ...stamped, application: app };
    if (session.socket.readyState !== 1) {
      this.listener?.(app, event, false);
      return;
    }
    session.socket.send(JSON.stringify(event));
    this.listener?.(app, event, true);
  }
}

/** An event with the fields the hub adds when it happens (`timestamp`, `asterisk_id`). */
type StampedEvent = EventBody & { timestamp: string; asterisk_id: string };

/**
 * The order an event belongs to: its channel (`channel`, Dial's `peer` and `caller`), the target
 * channel of a playback or recording (`target_uri` `channel:<id>`), and its bridge.
 */
export function orderKeys(event: EventBody): string[] {
  const keys: string[] = [];
  const field = (name: string, sub: string): unknown => {
    const v = event[name];
    return typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[sub] : undefined;
  };
  for (const name of ['channel', 'peer', 'caller']) {
    const id = field(name, 'id');
    if (typeof id === 'string') keys.push(`channel:${id}`);
  }
  for (const name of ['playback', 'recording']) {
    const target = field(name, 'target_uri');
    if (typeof target === 'string' && target.startsWith('channel:')) keys.push(target);
  }
  const bridge = field('bridge', 'id');
  if (typeof bridge === 'string') keys.push(`bridge:${bridge}`);
  return keys;
}
