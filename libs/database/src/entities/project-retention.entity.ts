import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { ProjectEntity } from './project.entity';

/**
 * A project's personal-data retention, set by the operator (see migration RetentionErasure1764500000000).
 * Each period is in days; null keeps that data forever, as does a project without a row.
 */
@Entity({ name: 'project_retention' })
export class ProjectRetentionEntity {
  @PrimaryColumn({ name: 'project_id', type: 'text' })
  projectId!: string;

  /** MT and MO bodies are redacted this many days after the message was created. */
  @Column({ name: 'message_body_days', type: 'integer', nullable: true })
  messageBodyDays!: number | null;

  /** Call timeline details (digits, TTS text, dial targets ...) are redacted this many days after the call was created. */
  @Column({ name: 'call_timeline_days', type: 'integer', nullable: true })
  callTimelineDays!: number | null;

  /** Recordings are deleted from the store this many days after they were made. */
  @Column({ name: 'recording_days', type: 'integer', nullable: true })
  recordingDays!: number | null;

  /** Sweep cursor over the project's messages: every message up to (created_at, id) is done. */
  @Column({ name: 'messages_swept_at', type: 'timestamptz', nullable: true })
  messagesSweptAt!: Date | null;

  @Column({ name: 'messages_swept_id', type: 'text', nullable: true })
  messagesSweptId!: string | null;

  /** Sweep cursor over the project's calls. */
  @Column({ name: 'calls_swept_at', type: 'timestamptz', nullable: true })
  callsSweptAt!: Date | null;

  @Column({ name: 'calls_swept_id', type: 'text', nullable: true })
  callsSweptId!: string | null;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;

  @ManyToOne(() => ProjectEntity, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'project_id', foreignKeyConstraintName: 'project_retention_project_id_fkey' })
  project?: ProjectEntity;
}
