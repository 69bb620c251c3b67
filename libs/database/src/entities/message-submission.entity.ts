import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { MessageEntity } from './message.entity';

/** Outcome of one attempt on a connector; see the migration 1764700000000 for what each means. */
export type SubmissionOutcome = 'submitting' | 'submitted' | 'not_submitted' | 'unknown' | 'rejected';

/** One attempt to hand an MT to one connector (`sub_...`). */
@Entity({ name: 'message_submissions' })
@Check('message_submissions_outcome_check', `outcome IN ('submitting', 'submitted', 'not_submitted', 'unknown', 'rejected')`)
@Index('message_submissions_message_idx', ['messageId', 'attempt'])
@Index('message_submissions_provider_key', ['connectorId', 'providerMessageId'], {
  unique: true,
  where: 'provider_message_id IS NOT NULL',
})
export class MessageSubmissionEntity {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ name: 'message_id', type: 'text' })
  messageId!: string;

  @Column({ type: 'integer' })
  attempt!: number;

  @Column({ name: 'connector_id', type: 'text' })
  connectorId!: string;

  @Column({ type: 'text' })
  outcome!: SubmissionOutcome;

  @Column({ name: 'provider_message_id', type: 'text', nullable: true })
  providerMessageId!: string | null;

  @Column({ name: 'part_ids', type: 'text', array: true, nullable: true })
  partIds!: string[] | null;

  @Column({ type: 'text', nullable: true })
  error!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;

  @ManyToOne(() => MessageEntity, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'message_id', foreignKeyConstraintName: 'message_submissions_message_id_fkey' })
  message?: MessageEntity;
}
