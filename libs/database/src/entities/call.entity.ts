import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { ProjectEntity } from './project.entity';

export type CallDirection = 'outbound' | 'inbound';
export type CallStatus = 'queued' | 'initiated' | 'ringing' | 'in-progress' | 'completed' | 'busy' | 'no-answer' | 'failed' | 'canceled';

/**
 * One voice call. `flow_document` is the flow it runs (a snapshot, so later edits don't change a
 * live call); `owner`/`lease_expires_at` make one orchestrator replica its only driver and
 * `ari_server` names the Asterisk server carrying its channels;
 * `interpreter_state` is the flow interpreter's JSON state after the last step (for resuming).
 * `timeout_s` is the ring time, `time_limit_s` the maximum call length, `duration_s` the answered time.
 */
@Entity({ name: 'calls' })
@Index('calls_project_created_idx', ['projectId', 'createdAt', 'id'])
@Index('calls_live_idx', ['owner'], { where: 'ended_at IS NULL' })
@Index('calls_server_channel_key', ['ariServer', 'channelId'], { unique: true })
export class CallEntity {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ name: 'project_id', type: 'text' })
  projectId!: string;

  @Column({ type: 'text' })
  direction!: CallDirection;

  @Column({ name: 'to_number', type: 'text' })
  to!: string;

  @Column({ name: 'from_number', type: 'text' })
  from!: string;

  @Column({ type: 'text' })
  status!: CallStatus;

  @Column({ name: 'hangup_cause', type: 'text', nullable: true })
  hangupCause!: string | null;

  @Column({ name: 'flow_id', type: 'text', nullable: true })
  flowId!: string | null;

  @Column({ name: 'flow_version', type: 'integer', nullable: true })
  flowVersion!: number | null;

  @Column({ name: 'flow_document', type: 'jsonb' })
  flowDocument!: Record<string, unknown>;

  @Column({ name: 'status_callback', type: 'text', nullable: true })
  statusCallback!: string | null;

  @Column({ name: 'timeout_s', type: 'integer' })
  timeoutS!: number;

  @Column({ name: 'time_limit_s', type: 'integer' })
  timeLimitS!: number;

  @Column({ name: 'channel_id', type: 'text', nullable: true })
  channelId!: string | null;

  @Column({ type: 'text', nullable: true })
  owner!: string | null;

  @Column({ name: 'lease_expires_at', type: 'timestamptz', nullable: true })
  leaseExpiresAt!: Date | null;

  /** Name of the ARI server (of `ARI_SERVERS`) that carries the call's channels; null until placed. */
  @Column({ name: 'ari_server', type: 'text', nullable: true })
  ariServer!: string | null;

  @Column({ name: 'interpreter_state', type: 'jsonb', nullable: true })
  interpreterState!: Record<string, unknown> | null;

  /** W3C `traceparent` of the call's trace: each verb is a span under it. Null when untraced. */
  @Column({ type: 'text', nullable: true })
  traceparent?: string | null;

  @Column({ name: 'answered_at', type: 'timestamptz', nullable: true })
  answeredAt!: Date | null;

  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true })
  endedAt!: Date | null;

  @Column({ name: 'duration_s', type: 'integer', nullable: true })
  durationS!: number | null;

  /**
   * When the timeline details, interpreter state and flow snapshot were redacted (retention or
   * erasure); null while kept. Optional: rows built in code before they are stored carry none.
   */
  @Column({ name: 'timeline_redacted_at', type: 'timestamptz', nullable: true })
  timelineRedactedAt?: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @ManyToOne(() => ProjectEntity, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'project_id', foreignKeyConstraintName: 'calls_project_id_fkey' })
  project?: ProjectEntity;
}

/**
 * One timeline entry of a call, in `seq` order: a status transition (from_status / event / to_status),
 * a verb started or finished (step + detail with its result), DTMF received, a recording, or a note
 * (e.g. what reconciliation found after a restart).
 */
@Entity({ name: 'call_events' })
@Index('call_events_call_seq_key', ['callId', 'seq'], { unique: true })
export class CallEventEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'call_id', type: 'text' })
  callId!: string;

  @Column({ type: 'integer' })
  seq!: number;

  @Column({ type: 'text' })
  kind!: 'transition' | 'verb_started' | 'verb_finished' | 'dtmf' | 'recording' | 'note';

  @Column({ name: 'from_status', type: 'text', nullable: true })
  fromStatus!: string | null;

  @Column({ type: 'text', nullable: true })
  event!: string | null;

  @Column({ name: 'to_status', type: 'text', nullable: true })
  toStatus!: string | null;

  @Column({ type: 'jsonb', nullable: true })
  step!: Record<string, unknown> | null;

  @Column({ type: 'jsonb', nullable: true })
  detail!: Record<string, unknown> | null;

  @Column({ name: 'occurred_at', type: 'timestamptz', default: () => 'now()' })
  occurredAt!: Date;

  @ManyToOne(() => CallEntity, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'call_id', foreignKeyConstraintName: 'call_events_call_id_fkey' })
  call?: CallEntity;
}

/** A stored recording of a call: `storage_key` in the recording store, `duration_s` in seconds. */
@Entity({ name: 'recordings' })
@Index('recordings_project_stored_idx', ['projectId', 'createdAt'], { where: 'deleted_at IS NULL' })
export class RecordingEntity {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Index('recordings_call_id_idx')
  @Column({ name: 'call_id', type: 'text' })
  callId!: string;

  @Column({ name: 'project_id', type: 'text' })
  projectId!: string;

  @Column({ name: 'storage_key', type: 'text' })
  storageKey!: string;

  @Column({ name: 'content_type', type: 'text' })
  contentType!: string;

  @Column({ name: 'duration_s', type: 'integer' })
  durationS!: number;

  @Column({ name: 'size_bytes', type: 'integer' })
  sizeBytes!: number;

  /** When the object was deleted from the recording store (retention or erasure); the row stays. Null while stored. */
  @Column({ name: 'deleted_at', type: 'timestamptz', nullable: true })
  deletedAt?: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @ManyToOne(() => CallEntity, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'call_id', foreignKeyConstraintName: 'recordings_call_id_fkey' })
  call?: CallEntity;
}
