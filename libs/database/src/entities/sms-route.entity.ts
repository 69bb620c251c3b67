import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { ProjectEntity } from './project.entity';

/** `numeric` arrives from pg as a string; a price has at most 12 digits, 6 after the point, which a double holds exactly enough to print back. */
const numericPrice = {
  to: (v: number | null | undefined) => v,
  from: (v: string | null) => (v === null ? null : Number(v)),
};

/**
 * An SMS route (`rte_...`), see migration Connectors1764600000000: MTs of `projectId` (null: of
 * every project) to destinations whose E.164 digits start with `prefix` go through
 * `connectorIds`, in that order.
 */
@Entity({ name: 'sms_routes' })
@Index('sms_routes_project_prefix_idx', ['projectId', 'prefix'])
@Check('sms_routes_prefix_check', `prefix ~ '^[0-9]{0,15}$'`)
@Check('sms_routes_price_check', `price >= 0`)
@Check('sms_routes_connector_ids_check', `cardinality(connector_ids) BETWEEN 1 AND 10`)
export class SmsRouteEntity {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  /** null: the route applies to every project. */
  @Column({ name: 'project_id', type: 'text', nullable: true })
  projectId!: string | null;

  /** E.164 digits without `+`, at most 15; '' matches every destination. */
  @Column({ type: 'text', default: '' })
  prefix!: string;

  /** Cost per segment in the operator's currency; null: unknown (sorted after priced routes). */
  @Column({ type: 'numeric', precision: 12, scale: 6, nullable: true, transformer: numericPrice })
  price!: number | null;

  /** Ordered failover list of connector ids (`conn_...`), 1 to 10. */
  @Column({ name: 'connector_ids', type: 'text', array: true })
  connectorIds!: string[];

  @Column({ type: 'boolean', default: true })
  enabled!: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @ManyToOne(() => ProjectEntity, { onDelete: 'CASCADE', nullable: true })
  @JoinColumn({ name: 'project_id', foreignKeyConstraintName: 'sms_routes_project_id_fkey' })
  project?: ProjectEntity | null;
}
