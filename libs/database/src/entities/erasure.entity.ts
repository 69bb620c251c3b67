import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { ProjectEntity } from './project.entity';

/** `pending` until the workers' first batch, `running` while batches remain, then `completed`. */
export type ErasureStatus = 'pending' | 'running' | 'completed';

/**
 * What an erasure works through, in this order: the project's messages, its calls (timelines and
 * recordings), the outbox event copies, the stored idempotent responses; `done` once completed.
 */
export type ErasurePhase = 'messages' | 'calls' | 'events' | 'responses' | 'done';

/**
 * A subscriber erasure request (see migration RetentionErasure1764500000000). `phone` (E.164) is
 * null once the erasure completed; `phone_sha256` is the hex SHA-256 of `<project id>:<phone>`.
 * `cursor` is where the current phase resumes (its shape depends on the phase).
 */
@Entity({ name: 'erasures' })
@Index('erasures_unfinished_idx', ['requestedAt'], { where: 'completed_at IS NULL' })
@Index('erasures_project_requested_idx', ['projectId', 'requestedAt'])
export class ErasureEntity {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ name: 'project_id', type: 'text' })
  projectId!: string;

  @Column({ type: 'text', nullable: true })
  phone!: string | null;

  @Column({ name: 'phone_sha256', type: 'text' })
  phoneSha256!: string;

  @Column({ type: 'text' })
  status!: ErasureStatus;

  @Column({ type: 'text' })
  phase!: ErasurePhase;

  @Column({ type: 'jsonb', nullable: true })
  cursor!: Record<string, string> | null;

  @Column({ name: 'messages_erased', type: 'integer', default: 0 })
  messagesErased!: number;

  @Column({ name: 'calls_erased', type: 'integer', default: 0 })
  callsErased!: number;

  @Column({ name: 'recordings_deleted', type: 'integer', default: 0 })
  recordingsDeleted!: number;

  /** Outbox event copies whose numbers and body were scrubbed. */
  @Column({ name: 'events_scrubbed', type: 'integer', default: 0 })
  eventsScrubbed!: number;

  /** Stored idempotent responses (Idempotency-Key replays) whose numbers and body were scrubbed. */
  @Column({ name: 'responses_scrubbed', type: 'integer', default: 0 })
  responsesScrubbed!: number;

  /** Opt-out records of the number, kept as the legal record they are; counted when the erasure completes. */
  @Column({ name: 'opt_outs_kept', type: 'integer', nullable: true })
  optOutsKept!: number | null;

  /** Why the last batch failed or waits (recording store unreachable, a call still live ...); null after a batch that went through. */
  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  @Column({ name: 'requested_at', type: 'timestamptz', default: () => 'now()' })
  requestedAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt!: Date | null;

  @ManyToOne(() => ProjectEntity, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'project_id', foreignKeyConstraintName: 'erasures_project_id_fkey' })
  project?: ProjectEntity;
}
