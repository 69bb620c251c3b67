import { Column, JoinColumn, ManyToOne, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import { FlowEntity } from './flow.entity';
import { ProjectEntity } from './project.entity';

/** An E.164 number owned by one project; inbound SMS to it belong to that project. */
@Entity({ name: 'phone_numbers' })
export class PhoneNumberEntity {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Index('phone_numbers_project_id_idx')
  @Column({ name: 'project_id', type: 'text' })
  projectId!: string;

  @Index('phone_numbers_e164_key', { unique: true })
  @Column({ type: 'text' })
  e164!: string;

  /** Flow whose active version answers calls to this number; null = calls are rejected. */
  @Column({ name: 'voice_flow_id', type: 'text', nullable: true })
  voiceFlowId!: string | null;

  /** Where MO (inbound) SMS to this number are called back; null = the project's `default_callback_url`. */
  @Column({ name: 'sms_callback_url', type: 'text', nullable: true })
  smsCallbackUrl!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @ManyToOne(() => ProjectEntity, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'project_id', foreignKeyConstraintName: 'phone_numbers_project_id_fkey' })
  project?: ProjectEntity;

  @ManyToOne(() => FlowEntity, { onDelete: 'RESTRICT', nullable: true })
  @JoinColumn({ name: 'voice_flow_id', foreignKeyConstraintName: 'phone_numbers_voice_flow_id_fkey' })
  voiceFlow?: FlowEntity;
}
