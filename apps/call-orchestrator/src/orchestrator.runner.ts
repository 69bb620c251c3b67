import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Counter, Gauge, Histogram } from 'prom-client';
import { DataSource } from 'typeorm';
import { METRICS, nestLogFn } from '@gw/observability';
import { APP_CONFIG, OrchestratorConfig } from '@gw/config';
import { CallEntity, DATA_SOURCE } from '@gw/database';
import { ConsumerGroups, createKafka, ensureTopics, EventTypes, IdempotentConsumer, kafkaSecurity } from '@gw/kafka';
import { recordingStoreFrom } from '@gw/recordings';
import { OutboundAddressPolicy, outboundDispatcher } from '@gw/security';
import { withPlus } from '@gw/sms-text';
import { AriEvent, channelIdOf } from './ari/ari-events';
import { AriFleet, ownAppName } from './ari/ari-fleet';
import { CallStore } from './call-store';
import { EspeakTts } from './media/tts';
import { StartGate } from './start-gate';
import { CallSession, SessionDeps } from './session/call-session';
import { FETCH_MAX_RESPONSE_BYTES } from './verbs/fetch.handler';
import { VerbRegistry } from './verbs/registry';

const schedulingSeconds = new Histogram({
  name: 'gw_call_verb_scheduling_seconds',
  help: 'Time from a verb result (ARI event or timer) to the next ARI request, per verb',
  labelNames: ['verb'],
  buckets: [0.0005, 0.001, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.015, 0.02, 0.03, 0.05, 0.075, 0.1, 0.25, 0.5, 1],
  registers: [METRICS],
});
const activeCalls = new Gauge({ name: 'gw_calls_active', help: 'Calls this replica drives', registers: [METRICS] });
const ariUp = new Gauge({
  name: 'gw_ari_server_up',
  help: 'Whether the event WebSocket of this replica to an ARI server is open (1) or lost (0)',
  labelNames: ['server'],
  registers: [METRICS],
});
const watchdogEnded = new Counter({
  name: 'gw_calls_watchdog_ended_total',
  help: 'Calls the watchdog ended because they outlived ring timeout + time limit + margin',
  registers: [METRICS],
});
const reconciled = new Counter({
  name: 'gw_calls_reconciled_total',
  help: 'Calls picked up by reconciliation',
  labelNames: ['outcome'],
  registers: [METRICS],
});

/**
 * The call orchestrator: its own Stasis application on every Asterisk server of ARI_SERVERS
 * (`<ARI_APP>-<ORCHESTRATOR_ID>`, reconnecting without end), the shared inbound application
 * (ARI_APP) on the servers whose inbound role it holds, Kafka `calls.commands.v1` for placing and
 * hanging up calls, one CallSession per live call, leases so that one replica drives each call
 * (another takes it over once the lease expires), and reconciliation after every (re)connection.
 */
@Injectable()
export class OrchestratorRunner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('call-orchestrator');
  private readonly log = nestLogFn(this.logger);
  private readonly sessions = new Map<string, CallSession>();
  private readonly gate = new StartGate((callId) => this.sessions.has(callId));
  /** `<server> <channel id>` -> session, for channels whose id is not the call id (inbound calls get Asterisk's ids). */
  private readonly byChannel = new Map<string, CallSession>();
  private fleet!: AriFleet;
  private store!: CallStore;
  private deps!: Omit<SessionDeps, 'control' | 'verbs'>;
  /** HTTP to project URLs (flow fetches), shared by every call. */
  private http?: ReturnType<typeof outboundDispatcher>;
  private readonly verbs = new Map<string, VerbRegistry>();
  private consumer?: IdempotentConsumer;
  private timers: NodeJS.Timeout[] = [];
  /** The role pass running now, and whether another was asked for meanwhile (passes never overlap). */
  private rolesPass: Promise<void> | null = null;
  private rolesAgain = false;
  private reconciling: Promise<void> | null = null;
  private recheckPending = false;

  constructor(
    @Inject(DATA_SOURCE) private readonly ds: DataSource,
    @Inject(APP_CONFIG) private readonly config: OrchestratorConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const c = this.config;
    this.store = new CallStore(this.ds, c.ORCHESTRATOR_ID, c.CALL_LEASE_MS);
    this.fleet = new AriFleet({
      servers: c.ariServers,
      ownApp: ownAppName(c.ARI_APP, c.ORCHESTRATOR_ID),
      inboundApp: c.ARI_APP,
      requestTimeoutMs: c.ARI_REQUEST_TIMEOUT_MS,
      maxBackoffMs: c.ARI_RECONNECT_MAX_MS,
      lostAfterMs: c.ARI_SERVER_LOST_MS,
      log: this.log,
    });
    const trunkEndpoint = (target: string) => endpointFor(target, c.ARI_TRUNK_ENDPOINT);
    const tts = new EspeakTts(c.TTS_CACHE_DIR);
    const recordings = recordingStoreFrom(c);
    const http = outboundDispatcher(new OutboundAddressPolicy(c.OUTBOUND_ALLOWED_CIDRS), { maxResponseBytes: FETCH_MAX_RESPONSE_BYTES });
    this.http = http;
    for (const server of this.fleet.names) {
      this.verbs.set(
        server,
        new VerbRegistry({
          control: this.fleet.control(server),
          store: this.store,
          tts,
          recordings,
          defaultVoice: c.TTS_VOICE,
          trunkEndpoint,
          now: Date.now,
          http,
        }),
      );
    }
    this.deps = {
      store: this.store,
      trunkEndpoint,
      log: this.log,
      watchdogMarginMs: c.CALL_WATCHDOG_MARGIN_MS,
      onScheduled: (verb, ms) => schedulingSeconds.observe({ verb }, ms / 1000),
      onWatchdog: () => watchdogEnded.inc(),
      onEnded: (callId) => {
        const session = this.sessions.get(callId);
        if (session) this.byChannel.delete(channelKey(session.server, session.channelId));
        this.sessions.delete(callId);
        activeCalls.set(this.sessions.size);
      },
    };
    this.fleet.on('event', (server: string, e: AriEvent) => this.onAriEvent(server, e));
    this.fleet.on('ready', (server: string) => {
      ariUp.set({ server }, 1);
      void this.holdRoles();
      this.reconcileSoon(true);
    });
    this.fleet.on('lost', (server: string) => {
      ariUp.set({ server }, 0);
      void this.onServerLost(server);
    });
    await this.fleet.start(10000);

    const kafka = createKafka(c.KAFKA_BROKERS, 'call-orchestrator', this.log, kafkaSecurity(c));
    await ensureTopics(kafka);
    this.consumer = new IdempotentConsumer(kafka, this.ds, {
      group: ConsumerGroups.CallOrchestrator.group,
      topics: [...ConsumerGroups.CallOrchestrator.topics],
      log: this.log,
      handler: async (event) => {
        const callId = String(event.payload.call_id ?? event.key);
        if (event.type === EventTypes.CallRequested) void this.startOutbound(callId);
        else if (event.type === EventTypes.CallHangupRequested) void this.hangup(callId);
      },
    });
    await this.consumer.start();
    const leaseTick = Math.max(1000, Math.floor(c.CALL_LEASE_MS / 3));
    this.timers.push(
      setInterval(() => {
        this.store.renewLeases().catch((e: unknown) => this.log('warn', 'lease renewal failed', { reason: String(e) }));
        void this.holdRoles();
        // Calls of a replica that died (lease expired) are taken over within about one lease time.
        this.reconcileSoon(false);
      }, leaseTick),
    );
    this.timers.push(setInterval(() => this.reconcileSoon(true), c.CALL_RECHECK_INTERVAL_MS));
  }

  async onApplicationShutdown(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    await this.consumer?.stop();
    this.fleet?.stop();
    // Another replica takes these calls over at once instead of after the lease time.
    await this.store?.releaseLeases().catch((e: unknown) => this.log('warn', 'releasing leases failed', { reason: String(e) }));
    await this.http?.close();
  }

  /** True once at least one ARI server is connected and the Kafka consumer joined its group. */
  isReady(): boolean {
    return this.fleet?.healthy().length > 0 && this.consumer?.joined() === true;
  }

  /**
   * Holds the inbound role of every server this replica is connected to, where no other replica
   * holds it. Passes run one at a time: two overlapping passes could apply a stale answer last
   * (give up the inbound application of a role the other pass had just taken), leaving the role
   * held in Postgres with nobody registered on the server until the next pass.
   */
  private holdRoles(): Promise<void> {
    if (this.rolesPass) {
      this.rolesAgain = true;
      return this.rolesPass;
    }
    this.rolesPass = (async () => {
      do {
        this.rolesAgain = false;
        await this.rolesPassOnce();
      } while (this.rolesAgain);
    })().finally(() => {
      this.rolesPass = null;
    });
    return this.rolesPass;
  }

  private async rolesPassOnce(): Promise<void> {
    for (const server of this.fleet.names) {
      const connected = this.fleet.isConnected(server);
      try {
        const held = connected ? await this.store.holdRole(inboundRole(server)) : false;
        if (!connected) await this.store.releaseRole(inboundRole(server));
        this.fleet.setInboundRole(server, held);
      } catch (err) {
        this.log('warn', 'inbound role lease failed', { server, reason: String(err) });
      }
    }
  }

  /** The healthy server with the fewest calls driven by this replica, or null when none is connected. */
  private pickServer(): string | null {
    const healthy = this.fleet.healthy();
    if (!healthy.length) return null;
    const load = new Map(healthy.map((s) => [s, 0]));
    for (const session of this.sessions.values()) if (load.has(session.server)) load.set(session.server, load.get(session.server)! + 1);
    return [...load.entries()].sort((a, b) => a[1] - b[1])[0][0];
  }

  private startOutbound(callId: string): Promise<void> {
    return this.gate.once(callId, async () => {
      const claimed = await this.store.claim(callId);
      if (!claimed || claimed.call.status !== 'queued') return;
      await this.place(claimed.call);
    });
  }

  /** Places a queued outbound call on a healthy server; with none, it waits for reconciliation (or the watchdog fails it). */
  private async place(call: CallEntity): Promise<void> {
    const server = this.pickServer();
    if (server) {
      this.run(call, server, (s) => s.runOutbound());
      return;
    }
    const waitedMs = Date.now() - new Date(call.createdAt).getTime();
    if (waitedMs < (call.timeoutS + call.timeLimitS) * 1000 + this.config.CALL_WATCHDOG_MARGIN_MS) return;
    await this.store.step(call.id, undefined, [
      { kind: 'note', event: 'watchdog.expired', detail: { reason: 'no ARI server was reachable to place the call', waited_ms: waitedMs } },
    ]);
    await this.store.transition(call.id, 'failed', 'watchdog.expired', 'NO_ARI_SERVER');
  }

  private async hangup(callId: string): Promise<void> {
    const session = this.sessions.get(callId);
    if (session) return session.requestHangup('api.hangup');
    const call = await this.store.load(callId);
    if (call && !call.endedAt && call.channelId && call.ariServer && this.fleet.has(call.ariServer))
      await this.fleet.control(call.ariServer).hangup(call.channelId, 'normal');
  }

  private run(call: CallEntity, server: string, body: (s: CallSession) => Promise<void>): void {
    const session = new CallSession(call, { ...this.deps, control: this.fleet.control(server), verbs: this.verbs.get(server)! });
    this.sessions.set(call.id, session);
    this.byChannel.set(channelKey(server, session.channelId), session);
    activeCalls.set(this.sessions.size);
    body(session).catch((err: unknown) => this.log('error', 'call session failed', { call_id: call.id, reason: String(err) }));
  }

  private onAriEvent(server: string, e: AriEvent): void {
    const channelId = channelIdOf(e);
    if (!channelId) return;
    // Dial legs are named `<call id>.leg<n>`; Asterisk's own channel ids contain dots too. A Local
    // channel's `;2` half (`<id>;2`) reaches the session too, which ignores ids that are not its own.
    const session = this.byChannel.get(channelKey(server, channelId)) ?? this.sessions.get(channelId.split('.leg')[0].split(';')[0]);
    if (session && session.server === server) return session.onEvent(e);
    if (e.type === 'StasisStart' && !session) void this.onUnknownStasisStart(server, e);
  }

  /** A channel entered our app that no session knows: an inbound call, or a leftover after a restart. */
  private async onUnknownStasisStart(server: string, e: Extract<AriEvent, { type: 'StasisStart' }>): Promise<void> {
    const arg = e.args[0] ?? '';
    if (arg.startsWith('call_') || arg.startsWith('dial,')) {
      this.reconcileSoon(false);
      return;
    }
    if (e.channel.id.includes(';')) return;
    const to = withPlus(e.channel.dialplan?.exten ?? '');
    const from = withPlus(e.channel.caller?.number || 'anonymous');
    const control = this.fleet.control(server);
    const route = await this.store.inboundRoute(to);
    if (!route || !route.document) {
      const reason = route ? 'rejected' : 'unallocated';
      this.log('warn', 'inbound call rejected', {
        to,
        from,
        server,
        reason: route ? 'no active flow on the number' : 'number not owned by any project',
      });
      await control.hangup(e.channel.id, reason);
      return;
    }
    const call = await this.store.createInbound(server, e.channel.id, from, to, { ...route, document: route.document });
    if (call) this.run(call, server, (s) => s.runInbound());
  }

  private reconcileSoon(recheck: boolean): void {
    this.recheckPending ||= recheck;
    this.reconciling ??= this.reconcile()
      .catch((err: unknown) => this.log('error', 'reconciliation failed', { reason: String(err) }))
      .finally(() => (this.reconciling = null));
  }

  /**
   * For every live call this replica may drive: with `recheck` pending, a session in memory
   * re-checks its channel (events may have been lost while ARI was away); a call without a session
   * (this replica restarted, its driver died, or nobody placed it yet) is claimed and placed,
   * resumed or ended by what its server reports. Each outcome is written to the call's timeline.
   */
  private async reconcile(): Promise<void> {
    const recheck = this.recheckPending;
    this.recheckPending = false;
    // Between rechecks only other replicas' orphans and unplaced calls are looked for, not every own call.
    for (const id of await this.store.reconcilable(recheck)) {
      const inMemory = this.sessions.get(id);
      if (inMemory) {
        if (recheck && this.fleet.isConnected(inMemory.server)) await inMemory.recheck();
        continue;
      }
      await this.gate.once(id, () => this.takeOver(id));
    }
  }

  /** Claims a call found by reconciliation and places, resumes or ends it by what its ARI server reports. */
  private async takeOver(callId: string): Promise<void> {
    const claimed = await this.store.claim(callId);
    if (!claimed) return;
    const { call, previousOwner } = claimed;
    if (!call.channelId) {
      if (call.status === 'queued' && call.direction === 'outbound') {
        reconciled.inc({ outcome: 'placed' });
        return this.place(call);
      }
      return this.endUnreachable(
        call,
        'reconcile.channel_gone',
        'the call has no channel on any ARI server',
        'CHANNEL_GONE_DURING_RESTART',
      );
    }
    // A call placed before servers were recorded ran on the one server there was: the first configured.
    const server = call.ariServer ?? this.fleet.names[0];
    if (!this.fleet.has(server))
      return this.endUnreachable(call, 'reconcile.server_unknown', `ARI server ${server} is no longer configured`, 'ARI_SERVER_LOST');
    if (!this.fleet.isConnected(server)) return; // the server's loss timer ends it if it does not come back
    const control = this.fleet.control(server);
    const channel = await control.getChannel(call.channelId);
    if (!channel && call.status === 'queued' && call.direction === 'outbound') {
      reconciled.inc({ outcome: 'placed' });
      return this.place(call);
    }
    if (!channel) {
      return this.endUnreachable(
        call,
        'reconcile.channel_gone',
        'the channel no longer exists on Asterisk after the orchestrator restarted',
        'CHANNEL_GONE_DURING_RESTART',
      );
    }
    if (previousOwner && previousOwner !== this.config.ORCHESTRATOR_ID) {
      // The channel's events go to the previous replica's application: move it into ours.
      try {
        await control.move(call.channelId, call.id);
      } catch (err) {
        await control.hangup(call.channelId, 'normal').catch(() => undefined);
        return this.endUnreachable(
          call,
          'reconcile.takeover_failed',
          `replica ${previousOwner} was lost and its channel could not be moved here (${String(err)}): not yet answered, it cannot enter this replica's application`,
          'ORCHESTRATOR_LOST',
        );
      }
      await this.store.step(call.id, undefined, [
        {
          kind: 'note',
          event: 'reconcile.taken_over',
          detail: { from_replica: previousOwner, to_replica: this.config.ORCHESTRATOR_ID, server },
        },
      ]);
      reconciled.inc({ outcome: 'taken_over' });
    } else reconciled.inc({ outcome: 'resumed' });
    this.run(call, server, (s) => s.runResumed());
  }

  /** Ends a call whose channel cannot be driven any more, with the reason in its timeline. */
  private async endUnreachable(call: CallEntity, event: string, reason: string, cause: string): Promise<void> {
    reconciled.inc({ outcome: 'ended' });
    await this.store.step(call.id, undefined, [
      { kind: 'note', event, detail: { channel_id: call.channelId, server: call.ariServer, status: call.status, reason } },
    ]);
    const status = call.status === 'in-progress' ? 'completed' : 'failed';
    await this.store.transition(call.id, status, event, cause);
  }

  /** A server stayed unreachable past ARI_SERVER_LOST_MS: its calls end (their channels went with it). */
  private async onServerLost(server: string): Promise<void> {
    this.log('error', 'ARI server lost; ending its calls', { server });
    await this.holdRoles();
    for (const id of await this.store.liveCallsOn(server).catch(() => [] as string[])) {
      const session = this.sessions.get(id);
      if (session) {
        await session.serverLost();
        continue;
      }
      await this.gate.once(id, async () => {
        const claimed = await this.store.claim(id);
        if (claimed)
          await this.endUnreachable(
            claimed.call,
            'ari.server_lost',
            `ARI server ${server} unreachable for ${this.config.ARI_SERVER_LOST_MS} ms`,
            'ARI_SERVER_LOST',
          );
      });
    }
  }
}

function channelKey(server: string, channelId: string): string {
  return `${server} ${channelId}`;
}

function inboundRole(server: string): string {
  return `inbound:${server}`;
}

/**
 * ARI dial string for a flow target: E.164 numbers go through the trunk template (`{number}`),
 * `sip:` URIs through the trunk's PJSIP endpoint (`PJSIP/trunk/sip:...`), `PJSIP/` endpoints as given.
 */
export function endpointFor(target: string, trunkTemplate: string): string {
  if (target.startsWith('PJSIP/')) return target;
  if (/^sips?:/.test(target)) return `${trunkTemplate.split('/')[0]}/trunk/${target}`;
  return trunkTemplate.replace('{number}', target);
}
