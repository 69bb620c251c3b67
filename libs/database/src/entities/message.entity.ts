import { Column, JoinColumn, ManyToOne, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { ProjectEntity } from './project.entity';
import type { KeywordAction } from './opt-out.entity';

export type MessageDirection = 'outbound' | 'inbound';
export type MessageStatus = 'queued' | 'sending' | 'sent' | 'delivered' | 'undelivered' | 'failed' | 'received';

/**
 * One SMS, MT (outbound) or MO (inbound). `segments` follows GSM 03.38 for `encoding`;
 * `validity_period` is in seconds; `provider_message_id` is the SMS gateway's id (Jasmin UUID).
 */
@Entity({ name: 'messages' })
@Index('messages_project_created_idx', ['projectId', 'createdAt', 'id'])
@Index('messages_inbound_provider_key', ['provider', 'providerMessageId'], { unique: true, where: "direction = 'inbound'" })
export class MessageEntity {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ name: 'project_id', type: 'text' })
  projectId!: string;

  @Column({ type: 'text' })
  direction!: MessageDirection;

  @Column({ name: 'to_number', type: 'text' })
  to!: string;

  @Column({ name: 'from_number', type: 'text' })
  from!: string;

  @Column({ type: 'text' })
  body!: string;

  @Column({ type: 'text' })
  encoding!: 'GSM-7' | 'UCS-2';

  @Column({ type: 'integer' })
  segments!: number;

  @Column({ type: 'text' })
  status!: MessageStatus;

  @Column({ name: 'status_callback', type: 'text', nullable: true })
  statusCallback!: string | null;

  @Column({ name: 'validity_period', type: 'integer', nullable: true })
  validityPeriod!: number | null;

  @Column({ type: 'text', nullable: true })
  provider!: string | null;

  /** The connector carrying the message now (`conn_...`); null until it is routed, and for MO. */
  @Column({ name: 'connector_id', type: 'text', nullable: true })
  connectorId!: string | null;

  @Index('messages_provider_message_id_idx')
  @Column({ name: 'provider_message_id', type: 'text', nullable: true })
  providerMessageId!: string | null;

  @Column({ name: 'error_code', type: 'text', nullable: true })
  errorCode!: string | null;

  @Column({ name: 'error_message', type: 'text', nullable: true })
  errorMessage!: string | null;

  /** On an MO, what its keyword did (STOP: `opt_out` ...); on an MT system reply, the keyword action it answers; else null. */
  @Column({ name: 'keyword_action', type: 'text', nullable: true })
  keywordAction!: KeywordAction | null;

  /** An MT the gateway wrote itself in answer to an MO keyword (HELP text, STOP/START confirmation), not the project. */
  @Column({ name: 'system_reply', type: 'boolean', default: false })
  systemReply!: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  /**
   * When the body was redacted (replaced by '') by the project's retention or a subscriber erasure;
   * null while it is kept. Optional: rows built in code before they are stored carry none.
   */
  @Column({ name: 'redacted_at', type: 'timestamptz', nullable: true })
  redactedAt?: Date | null;

  /**
   * W3C `traceparent` of the request that accepted the message: a carrier's receipt, which arrives
   * without one, is traced under it. Null when tracing is off or the trace unsampled; optional like
   * `redactedAt`.
   */
  @Column({ type: 'text', nullable: true })
  traceparent?: string | null;

  @ManyToOne(() => ProjectEntity, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'project_id', foreignKeyConstraintName: 'messages_project_id_fkey' })
  project?: ProjectEntity;
}
