import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { ProjectEntity } from './project.entity';

/**
 * An alphanumeric sender id (3GPP TS 23.040 section 9.1.2.5: 1-11 characters of A-Z a-z 0-9 and
 * space, at least one letter) the operator granted a project for MT SMS; see migration
 * SenderIds1764300000000. Matched exactly (case included): the handset shows exactly these characters.
 */
@Entity({ name: 'sender_ids' })
@Index('sender_ids_project_sender_key', ['projectId', 'senderId'], { unique: true })
export class SenderIdEntity {
  /** `snd_...` */
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ name: 'project_id', type: 'text' })
  projectId!: string;

  @Column({ name: 'sender_id', type: 'text' })
  senderId!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @ManyToOne(() => ProjectEntity, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'project_id', foreignKeyConstraintName: 'sender_ids_project_id_fkey' })
  project?: ProjectEntity;
}
