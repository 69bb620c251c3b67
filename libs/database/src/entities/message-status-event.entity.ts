import { Column, JoinColumn, ManyToOne, Entity, Index, PrimaryColumn } from 'typeorm';
import { MessageEntity } from './message.entity';

/**
 * One applied status transition of a message (its timeline). Only transitions that changed the
 * status are stored: duplicates and regressions leave no row. `carrier_status`/`carrier_code` keep
 * what the carrier said (e.g. `UNDELIV`, `err:001`, `ESME_RINVDSTADR`).
 */
@Entity({ name: 'message_status_events' })
@Index('message_status_events_message_idx', ['messageId', 'occurredAt'])
export class MessageStatusEventEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'message_id', type: 'text' })
  messageId!: string;

  @Column({ name: 'from_status', type: 'text', nullable: true })
  fromStatus!: string | null;

  @Column({ type: 'text' })
  status!: string;

  @Column({ type: 'text' })
  source!: string;

  @Column({ name: 'carrier_status', type: 'text', nullable: true })
  carrierStatus!: string | null;

  @Column({ name: 'carrier_code', type: 'text', nullable: true })
  carrierCode!: string | null;

  @Column({ type: 'text', nullable: true })
  description!: string | null;

  /** The connector of the attempt this transition belongs to (`conn_...`); null before routing and for MO. */
  @Column({ name: 'connector_id', type: 'text', nullable: true })
  connectorId!: string | null;

  @Column({ name: 'occurred_at', type: 'timestamptz', default: () => 'now()' })
  occurredAt!: Date;

  @ManyToOne(() => MessageEntity, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'message_id', foreignKeyConstraintName: 'message_status_events_message_id_fkey' })
  message?: MessageEntity;
}
