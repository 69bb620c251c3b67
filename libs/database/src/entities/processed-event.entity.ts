import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** Event ids a consumer has handled; a redelivered event finds its row and is dropped. Swept after PROCESSED_EVENTS_RETENTION_HOURS. */
@Entity({ name: 'processed_events' })
export class ProcessedEventEntity {
  @PrimaryColumn({ type: 'text' })
  consumer!: string;

  @PrimaryColumn({ name: 'event_id', type: 'uuid' })
  eventId!: string;

  @Index('processed_events_processed_at_idx')
  @Column({ name: 'processed_at', type: 'timestamptz', default: () => 'now()' })
  processedAt!: Date;
}
