import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Usage metrics counted per project per UTC day. */
export type UsageMetric = 'sms_outbound_segments' | 'sms_inbound_segments' | 'call_minutes';

/** Daily counter: `quantity` units of `metric` (segments) for a project on a UTC `day`. */
@Entity({ name: 'usage_daily' })
export class UsageDailyEntity {
  @PrimaryColumn({ name: 'project_id', type: 'text' })
  projectId!: string;

  @PrimaryColumn({ type: 'date' })
  day!: string;

  @PrimaryColumn({ type: 'text' })
  metric!: UsageMetric;

  @Column({ type: 'bigint', default: 0 })
  quantity!: string;
}

/** One row per (metric, source): what makes each message count once, whatever the event redeliveries. */
@Entity({ name: 'usage_ledger' })
export class UsageLedgerEntity {
  @PrimaryColumn({ type: 'text' })
  metric!: UsageMetric;

  @PrimaryColumn({ name: 'source_id', type: 'text' })
  sourceId!: string;

  @Column({ name: 'project_id', type: 'text' })
  projectId!: string;

  @Column({ type: 'date' })
  day!: string;

  @Column({ type: 'integer' })
  quantity!: number;

  @Column({ name: 'recorded_at', type: 'timestamptz', default: () => 'now()' })
  recordedAt!: Date;
}
