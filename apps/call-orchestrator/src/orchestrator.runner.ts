import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { nestLogFn } from '@gw/observability';
import { APP_CONFIG, OrchestratorConfig } from '@gw/config';
import { CallEntity, DATA_SOURCE } from '@gw/database';
import { createKafka, ensureTopics, EventTypes, IdempotentConsumer, Topics } from '@gw/kafka';
import { recordingStoreFrom } from '@gw/recordings';
import { withPlus } from '@gw/sms-text';
import { AriConnection } from './ari/ari-connection';
import { AriEvent, channelIdOf } from './ari/ari-events';
import { AriCallControl, CallControl } from './ari/call-control';
import { CallStore } from './call-store';
import { EspeakTts } from './media/tts';
import { StartGate } from './start-gate';
import { CallSession, SessionDeps } from './session/call-session';
import { VerbRunner } from './session/verb-runner';

/** Prometheus registry of the orchestrator (served at /metrics). */
export const METRICS = new Registry();

const schedulingSeconds = new Histogram({
  name: 'call_verb_scheduling_seconds',
  help: 'Time from a verb result (ARI event or timer) to the next ARI request, per verb',
  labelNames: ['verb'],
  buckets: [0.0005, 0.001, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.015, 0.02, 0.03, 0.05, 0.075, 0.1, 0.25, 0.5, 1],
  registers: [METRICS],
});
const activeCalls = new Gauge({ name: 'calls_active', help: 'Calls this replica drives', registers: [METRICS] });
const reconciled = new Counter({
  name: 'calls_reconciled_total',
  help: 'Calls picked up by reconciliation',
  labelNames: ['outcome'],
  registers: [METRICS],
});

/**
 * The call orchestrator: one Stasis application on ARI (reconnecting without end), Kafka
 * `calls.commands.v1` for placing and hanging up calls, one CallSession per live call, leases so
 * that one replica drives each call, and reconciliation after every (re)connection and every 30 s.
 */
@Injectable()
export class OrchestratorRunner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('call-orchestrator');
  private readonly log = nestLogFn(this.logger);
  private readonly sessions = new Map<string, CallSession>();
  private readonly gate = new StartGate((callId) => this.sessions.has(callId));
  /** Main channel id -> session, for channels whose id is not the call id (inbound calls get Asterisk's ids). */
  private readonly byChannel = new Map<string, CallSession>();
  private ari!: AriConnection;
  private control!: CallControl;
  private store!: CallStore;
  private deps!: SessionDeps;
  private consumer?: IdempotentConsumer;
  private timers: NodeJS.Timeout[] = [];
  private reconciling: Promise<void> | null = null;

  constructor(
    @Inject(DATA_SOURCE) private readonly ds: DataSource,
    @Inject(APP_CONFIG) private readonly config: OrchestratorConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const c = this.config;
    this.store = new CallStore(this.ds, c.ORCHESTRATOR_ID, c.CALL_LEASE_MS);
    this.ari = new AriConnection({
      url: c.ARI_URL,
      username: c.ARI_USERNAME,
      password: c.ARI_PASSWORD,
      app: c.ARI_APP,
      maxBackoffMs: c.ARI_RECONNECT_MAX_MS,
      log: this.log,
    });
    this.control = new AriCallControl(() => this.ari.client(), c.ARI_APP, {
      url: c.ARI_URL,
      username: c.ARI_USERNAME,
      password: c.ARI_PASSWORD,
      timeoutMs: 10000,
    });
    const trunkEndpoint = (target: string) => endpointFor(target, c.ARI_TRUNK_ENDPOINT);
    const verbs = new VerbRunner({
      control: this.control,
      store: this.store,
      tts: new EspeakTts(c.TTS_CACHE_DIR),
      recordings: recordingStoreFrom(c),
      defaultVoice: c.TTS_VOICE,
      trunkEndpoint,
    });
    this.deps = {
      control: this.control,
      store: this.store,
      verbs,
      trunkEndpoint,
      log: this.log,
      onScheduled: (verb, ms) => schedulingSeconds.observe({ verb }, ms / 1000),
      onEnded: (callId) => {
        const session = this.sessions.get(callId);
        if (session) this.byChannel.delete(session.channelId);
        this.sessions.delete(callId);
        activeCalls.set(this.sessions.size);
      },
    };
    this.ari.on('event', (e: AriEvent) => this.onAriEvent(e));
    this.ari.on('ready', () => this.reconcileSoon());
    await this.ari.start();

    const kafka = createKafka(c.KAFKA_BROKERS, 'call-orchestrator', this.log);
    await ensureTopics(kafka);
    this.consumer = new IdempotentConsumer(kafka, this.ds, {
      group: 'call-orchestrator',
      topics: [Topics.CallCommands],
      log: this.log,
      handler: async (event) => {
        const callId = String(event.payload.call_id ?? event.key);
        if (event.type === EventTypes.CallRequested) void this.startOutbound(callId);
        else if (event.type === EventTypes.CallHangupRequested) void this.hangup(callId);
      },
    });
    await this.consumer.start();
    this.timers.push(
      setInterval(
        () => void this.store.renewLeases().catch((e: unknown) => this.log('warn', 'lease renewal failed', { reason: String(e) })),
        Math.max(1000, c.CALL_LEASE_MS / 3),
      ),
    );
    this.timers.push(setInterval(() => this.reconcileSoon(), 30000));
  }

  async onApplicationShutdown(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    await this.consumer?.stop();
    this.ari?.stop();
  }

  /** True once ARI is connected and the Kafka consumer joined its group. */
  isReady(): boolean {
    return this.ari?.connected === true && this.consumer?.joined() === true;
  }

  private startOutbound(callId: string): Promise<void> {
    return this.gate.once(callId, async () => {
      const call = await this.store.claim(callId);
      if (call && call.status === 'queued') this.run(call, (s) => s.runOutbound());
    });
  }

  private async hangup(callId: string): Promise<void> {
    const session = this.sessions.get(callId);
    if (session) return session.requestHangup('api.hangup');
    const call = await this.store.load(callId);
    if (call && !call.endedAt && call.channelId) await this.control.hangup(call.channelId, 'normal');
  }

  private run(call: CallEntity, body: (s: CallSession) => Promise<void>): void {
    const session = new CallSession(call, this.deps);
    this.sessions.set(call.id, session);
    this.byChannel.set(session.channelId, session);
    activeCalls.set(this.sessions.size);
    body(session).catch((err: unknown) => this.log('error', 'call session failed', { call_id: call.id, reason: String(err) }));
  }

  private onAriEvent(e: AriEvent): void {
    const channelId = channelIdOf(e);
    if (!channelId) return;
    // Dial legs are named `<call id>.leg<n>`; Asterisk's own channel ids contain dots too.
    const session = this.byChannel.get(channelId) ?? this.sessions.get(channelId.split('.leg')[0]);
    if (session) return session.onEvent(e);
    if (e.type === 'StasisStart') void this.onUnknownStasisStart(e);
  }

  /** A channel entered our app that no session knows: an inbound call, or a leftover after a restart. */
  private async onUnknownStasisStart(e: Extract<AriEvent, { type: 'StasisStart' }>): Promise<void> {
    const arg = e.args[0] ?? '';
    if (arg.startsWith('call_') || arg.startsWith('dial,')) {
      this.reconcileSoon();
      return;
    }
    const to = withPlus(e.channel.dialplan?.exten ?? '');
    const from = withPlus(e.channel.caller?.number || 'anonymous');
    const route = await this.store.inboundRoute(to);
    if (!route || !route.document) {
      const reason = route ? 'rejected' : 'unallocated';
      this.log('warn', 'inbound call rejected', {
        to,
        from,
        reason: route ? 'no active flow on the number' : 'number not owned by any project',
      });
      await this.control.hangup(e.channel.id, reason);
      return;
    }
    const call = await this.store.createInbound(e.channel.id, from, to, { ...route, document: route.document });
    if (call) this.run(call, (s) => s.runInbound());
  }

  private reconcileSoon(): void {
    this.reconciling ??= this.reconcile()
      .catch((err: unknown) => this.log('error', 'reconciliation failed', { reason: String(err) }))
      .finally(() => (this.reconciling = null));
  }

  /**
   * For every live call this replica may drive: a session in memory re-checks its channel (events
   * may have been lost while ARI was away); otherwise the call is claimed and its channel looked up
   * on ARI: a call never originated is placed now, a live channel is resumed, a gone channel ends the
   * call. Each outcome is written to the call's timeline.
   */
  private async reconcile(): Promise<void> {
    if (!this.ari.connected) return;
    for (const id of await this.store.reconcilable()) {
      const inMemory = this.sessions.get(id);
      if (inMemory) {
        await inMemory.recheck();
        continue;
      }
      await this.gate.once(id, () => this.takeOver(id));
    }
  }

  /** Claims a call found by reconciliation and places, resumes or ends it by what ARI reports. */
  private async takeOver(callId: string): Promise<void> {
    const call = await this.store.claim(callId);
    if (!call) return;
    const channel = call.channelId ? await this.control.getChannel(call.channelId) : null;
    if (!channel && call.status === 'queued' && call.direction === 'outbound') {
      reconciled.inc({ outcome: 'placed' });
      this.run(call, (s) => s.runOutbound());
    } else if (!channel) {
      reconciled.inc({ outcome: 'ended' });
      await this.store.step(call.id, undefined, [
        {
          kind: 'note',
          event: 'reconcile.channel_gone',
          detail: {
            channel_id: call.channelId,
            status: call.status,
            reason: 'the channel no longer exists on Asterisk after the orchestrator restarted',
          },
        },
      ]);
      const status = call.status === 'in-progress' ? 'completed' : 'failed';
      await this.store.transition(call.id, status, 'reconcile.channel_gone', 'CHANNEL_GONE_DURING_RESTART');
    } else {
      reconciled.inc({ outcome: 'resumed' });
      this.run(call, (s) => s.runResumed());
    }
  }
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
