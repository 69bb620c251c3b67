import { Check, Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** The operator's forced circuit breaker state of a connector; null in the row leaves the breaker automatic. */
export type BreakerOverride = 'open' | 'closed';

/**
 * One configured path to an SMSC (`conn_...`), see migration Connectors1764600000000. Never
 * deleted, only disabled: routes and message submissions keep naming it.
 */
@Entity({ name: 'connectors' })
@Index('connectors_name_key', ['name'], { unique: true })
@Check('connectors_name_check', `name ~ '^[a-z0-9-]{1,64}$'`)
@Check(
  'connectors_limits_check',
  `(tps IS NULL OR tps > 0) AND ("window" IS NULL OR "window" > 0) AND breaker_failures > 0 AND breaker_half_open_ms > 0`,
)
@Check('connectors_breaker_override_check', `breaker_override IN ('open', 'closed')`)
export class ConnectorEntity {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  /** Unique, 1-64 characters of a-z, 0-9 and `-`. */
  @Column({ type: 'text' })
  name!: string;

  /** The carrier kind (`jasmin` ...), one of @gw/connectors CARRIER_KINDS. */
  @Column({ type: 'text' })
  kind!: string;

  /** The kind's settings JSON; secrets only as references (`*_ref`: env:NAME or file:/path). */
  @Column({ type: 'jsonb' })
  settings!: Record<string, unknown>;

  @Column({ type: 'boolean', default: true })
  enabled!: boolean;

  /** Messages per second across every replica of the connector; null: unlimited. */
  @Column({ type: 'integer', nullable: true })
  tps!: number | null;

  /** Submits in flight (sent, not yet answered) across every replica; null: unlimited. */
  @Column({ type: 'integer', nullable: true })
  window!: number | null;

  /** Consecutive failures that open the circuit breaker. */
  @Column({ name: 'breaker_failures', type: 'integer', default: 5 })
  breakerFailures!: number;

  /** How long an open breaker waits before letting one submit through (half-open), ms. */
  @Column({ name: 'breaker_half_open_ms', type: 'integer', default: 5000 })
  breakerHalfOpenMs!: number;

  @Column({ name: 'breaker_override', type: 'text', nullable: true })
  breakerOverride!: BreakerOverride | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
