import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { appendTimeline, lockCall, TimelineEntry, transitionCall } from '@gw/calls';
import {
  CallEntity,
  CallStatus,
  type DialAllowlist,
  FlowEntity,
  FlowVersionEntity,
  newId,
  PhoneNumberEntity,
  ProjectEntity,
} from '@gw/database';
import { EventTypes, Topics } from '@gw/kafka';
import { writeOutbox } from '@gw/outbox';
import { inSpanUnder, traceparentOf } from '@gw/tracing';

/** A number's owner and the flow document that answers it (null when none is active). */
export interface InboundRoute {
  projectId: string;
  flowId: string | null;
  flowVersion: number | null;
  document: Record<string, unknown> | null;
}

/**
 * Postgres side of the orchestrator: call leases (one driver per call), transitions and timeline
 * entries (through @gw/calls, with outbox events), interpreter state, inbound call rows and recordings.
 */
export class CallStore {
  constructor(
    private readonly ds: DataSource,
    private readonly owner: string,
    private readonly leaseMs: number,
  ) {}

  /**
   * Takes (or keeps) the lease on a live call: succeeds when nobody holds it, this replica holds it,
   * or the holder's lease expired. Returns the call and the replica that drove it before (null if
   * none), or null when another replica drives it or it ended.
   */
  async claim(callId: string): Promise<{ call: CallEntity; previousOwner: string | null } | null> {
    // Wrapped in a SELECT: TypeORM answers a bare UPDATE ... RETURNING with [rows, count].
    const rows: Array<{ previous: string | null }> = await this.ds.query(
      `WITH before AS (SELECT id, owner FROM calls WHERE id = $1 FOR UPDATE),
            claimed AS (
         UPDATE calls c SET owner = $2, lease_expires_at = now() + ($3 || ' milliseconds')::interval
           FROM before b
          WHERE c.id = b.id AND c.ended_at IS NULL AND (c.owner IS NULL OR c.owner = $2 OR c.lease_expires_at < now())
          RETURNING b.owner AS previous)
       SELECT previous FROM claimed`,
      [callId, this.owner, String(this.leaseMs)],
    );
    if (!rows.length) return null;
    const call = await this.ds.getRepository(CallEntity).findOneBy({ id: callId });
    return call ? { call, previousOwner: rows[0].previous } : null;
  }

  /** Extends the leases of every live call this replica drives. */
  async renewLeases(): Promise<void> {
    await this.ds.query(
      `UPDATE calls SET lease_expires_at = now() + ($2 || ' milliseconds')::interval WHERE owner = $1 AND ended_at IS NULL`,
      [this.owner, String(this.leaseMs)],
    );
  }

  /**
   * Ids of the live calls this replica should look after: its own, unowned ones, and those whose
   * driver's lease expired; a `queued` call only once it is 5 s old (its Kafka command normally
   * starts it). Ended calls never qualify, however old. `own: false` leaves out the calls this
   * replica holds a live lease on: the frequent scan for other replicas' orphans needs only those.
   */
  async reconcilable(own = true): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.ds.query(
      `SELECT id FROM calls
        WHERE ended_at IS NULL
          AND (($2 AND owner = $1) OR owner IS NULL OR lease_expires_at < now())
          AND (status <> 'queued' OR created_at < now() - interval '5 seconds')`,
      [this.owner, own],
    );
    return rows.map((r) => r.id);
  }

  load(callId: string): Promise<CallEntity | null> {
    return this.ds.getRepository(CallEntity).findOneBy({ id: callId });
  }

  /** Records the channel id of a call and the ARI server (ARI_SERVERS name) it is placed on. */
  async setChannel(callId: string, channelId: string, server: string): Promise<void> {
    await this.ds.query(`UPDATE calls SET channel_id = $2, ari_server = $3, updated_at = now() WHERE id = $1`, [callId, channelId, server]);
  }

  /** Live calls on an ARI server that this replica drives or may take over (its own, unowned, lease expired). */
  async liveCallsOn(server: string): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.ds.query(
      `SELECT id FROM calls
        WHERE ended_at IS NULL AND ari_server = $2
          AND (owner = $1 OR owner IS NULL OR lease_expires_at < now())`,
      [this.owner, server],
    );
    return rows.map((r) => r.id);
  }

  /** Ends this replica's leases at once (graceful shutdown), so another replica takes its calls without waiting. */
  async releaseLeases(): Promise<void> {
    await this.ds.query(`UPDATE calls SET lease_expires_at = now() WHERE owner = $1 AND ended_at IS NULL`, [this.owner]);
    await this.ds.query(`DELETE FROM orchestrator_roles WHERE owner = $1`, [this.owner]);
  }

  /**
   * Takes or renews a role lease (e.g. `inbound:<server>`) for CALL_LEASE_MS: succeeds when nobody
   * holds it, this replica holds it, or the holder's lease expired. True when this replica holds it.
   */
  async holdRole(role: string): Promise<boolean> {
    const rows: Array<{ owner: string }> = await this.ds.query(
      `INSERT INTO orchestrator_roles (role, owner, expires_at) VALUES ($1, $2, now() + ($3 || ' milliseconds')::interval)
       ON CONFLICT (role) DO UPDATE SET owner = EXCLUDED.owner, expires_at = EXCLUDED.expires_at
        WHERE orchestrator_roles.owner = EXCLUDED.owner OR orchestrator_roles.expires_at < now()
       RETURNING owner`,
      [role, this.owner, String(this.leaseMs)],
    );
    return rows.length === 1;
  }

  /** Gives up a role lease if this replica holds it. */
  async releaseRole(role: string): Promise<void> {
    await this.ds.query(`DELETE FROM orchestrator_roles WHERE role = $1 AND owner = $2`, [role, this.owner]);
  }

  /** Applies a transition (no-op unless it is progress). */
  transition(
    callId: string,
    to: CallStatus,
    event: string,
    hangupCause?: string | null,
    detail?: Record<string, unknown>,
  ): Promise<boolean> {
    return this.ds.transaction((tx) => transitionCall(tx, { callId, to, event, hangupCause, detail }));
  }

  /**
   * Saves the interpreter state and appends timeline entries, atomically, in four round trips
   * (BEGIN, the UPDATE or row lock, one INSERT, COMMIT): one such write per verb of every call.
   */
  async step(callId: string, state: unknown, entries: TimelineEntry[]): Promise<void> {
    await this.ds.transaction(async (tx) => {
      // The UPDATE takes the row lock that numbers the timeline entries.
      if (state !== undefined)
        await tx.query(`UPDATE calls SET interpreter_state = $2::jsonb WHERE id = $1`, [callId, JSON.stringify(state)]);
      else if (entries.length) await tx.query(`SELECT 1 FROM calls WHERE id = $1 FOR UPDATE`, [callId]);
      await appendTimeline(tx, callId, entries);
    });
  }

  /**
   * When the call's pending command was first started (epoch ms): the latest `verb_started` entry's
   * `resumed_from` (set when a resumed call re-issued it), else its time; null without one.
   */
  async commandStartedAt(callId: string): Promise<number | null> {
    const rows: Array<{ at: Date | string }> = await this.ds.query(
      `SELECT COALESCE((detail->>'resumed_from')::timestamptz, occurred_at) AS at FROM call_events
        WHERE call_id = $1 AND kind = 'verb_started' ORDER BY seq DESC LIMIT 1`,
      [callId],
    );
    return rows.length ? new Date(rows[0].at).getTime() : null;
  }

  /** Finds the project and active flow for a dialed number. */
  async inboundRoute(e164: string): Promise<InboundRoute | null> {
    const number = await this.ds.getRepository(PhoneNumberEntity).findOneBy({ e164 });
    if (!number) return null;
    if (!number.voiceFlowId) return { projectId: number.projectId, flowId: null, flowVersion: null, document: null };
    const flow = await this.ds.getRepository(FlowEntity).findOneBy({ id: number.voiceFlowId });
    const version = flow?.activeVersion
      ? await this.ds.getRepository(FlowVersionEntity).findOneBy({ flowId: flow.id, version: flow.activeVersion })
      : null;
    return {
      projectId: number.projectId,
      flowId: flow?.id ?? null,
      flowVersion: version?.version ?? null,
      document: version?.document ?? null,
    };
  }

  /**
   * Creates the row of an inbound call (status ringing) on `server`, owned by this replica. Returns null if the channel already has a call.
   * The call's trace starts here (a `call.inbound` span; its `traceparent` is stored with the row for the verbs).
   */
  async createInbound(
    server: string,
    channelId: string,
    from: string,
    to: string,
    route: InboundRoute & { document: Record<string, unknown> },
  ): Promise<CallEntity | null> {
    const id = newId('call');
    const traceparent = await inSpanUnder(null, { name: 'call.inbound', attributes: { 'gw.call.id': id } }, async () => traceparentOf());
    const inserted: unknown[] = await this.ds.query(
      `INSERT INTO calls (id, project_id, direction, to_number, from_number, status, flow_id, flow_version, flow_document, timeout_s, time_limit_s,
                          channel_id, owner, lease_expires_at, ari_server, traceparent)
       VALUES ($1, $2, 'inbound', $3, $4, 'queued', $5, $6, $7::jsonb, 0, 14400, $8, $9, now() + ($10 || ' milliseconds')::interval, $11, $12)
       ON CONFLICT (ari_server, channel_id) DO NOTHING RETURNING id`,
      [
        id,
        route.projectId,
        to,
        from,
        route.flowId,
        route.flowVersion,
        JSON.stringify(route.document),
        channelId,
        this.owner,
        String(this.leaseMs),
        server,
        traceparent,
      ],
    );
    if (!inserted.length) return null;
    await this.ds.query(
      `INSERT INTO call_events (id, call_id, seq, kind, from_status, event, to_status) VALUES ($1, $2, 1, 'transition', NULL, 'ari.StasisStart', 'queued')`,
      [randomUUID(), id],
    );
    return this.load(id);
  }

  /** Records a stored recording: its row, a timeline entry and a `call.recording_stored` event. */
  async addRecording(call: CallEntity, rec: { id: string; storageKey: string; durationS: number; sizeBytes: number }): Promise<void> {
    await this.ds.transaction(async (tx) => {
      await lockCall(tx, call.id);
      await tx.query(
        `INSERT INTO recordings (id, call_id, project_id, storage_key, content_type, duration_s, size_bytes) VALUES ($1, $2, $3, $4, 'audio/wav', $5, $6)`,
        [rec.id, call.id, call.projectId, rec.storageKey, rec.durationS, rec.sizeBytes],
      );
      await appendTimeline(tx, call.id, [
        { kind: 'recording', event: 'recording.stored', detail: { recording_id: rec.id, duration_s: rec.durationS } },
      ]);
      await writeOutbox(tx, [
        {
          topic: Topics.CallEvents,
          key: call.id,
          type: EventTypes.CallRecordingStored,
          payload: {
            id: call.id,
            project_id: call.projectId,
            recording_id: rec.id,
            duration_s: rec.durationS,
            url: `/v1/calls/${call.id}/recordings/${rec.id}`,
            status_callback: call.statusCallback,
            occurred_at: new Date().toISOString(),
          },
        },
      ]);
    });
  }

  /** The project's dial allowlist (`projects.dial_allowlist`); null when none is set (the default) or no such project. */
  async dialAllowlist(projectId: string): Promise<DialAllowlist | null> {
    const rows: Array<{ dial_allowlist: DialAllowlist | null }> = await this.ds.query(`SELECT dial_allowlist FROM projects WHERE id = $1`, [
      projectId,
    ]);
    return rows[0]?.dial_allowlist ?? null;
  }

  /** The project's webhook secret, which also signs redirect/actionHook fetches. */
  async webhookSecret(projectId: string): Promise<string | null> {
    return (await this.ds.getRepository(ProjectEntity).findOneBy({ id: projectId }))?.webhookSecret ?? null;
  }
}
