import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** One administrative action: who, what, when, from where (see migration AuditLog1764150000000). */
@Entity({ name: 'admin_audit_log' })
@Index('admin_audit_log_created_at_idx', ['createdAt', 'id'])
@Index('admin_audit_log_project_created_at_idx', ['projectId', 'createdAt', 'id'])
export class AuditLogEntity {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  /** `operator`, `key:<prefix>` or `jwt:<sub>`: never a secret. */
  @Column({ type: 'text' })
  actor!: string;

  @Column({ name: 'project_id', type: 'text', nullable: true })
  projectId!: string | null;

  /** Dotted verb, e.g. `api_key.revoked`, `subscriber.erased`. */
  @Column({ type: 'text' })
  action!: string;

  /** Id of what was acted on (key id, number, E.164 ...). */
  @Column({ type: 'text', nullable: true })
  target!: string | null;

  @Column({ type: 'jsonb' })
  detail!: Record<string, unknown>;

  @Column({ type: 'text', nullable: true })
  ip!: string | null;

  @Column({ name: 'user_agent', type: 'text', nullable: true })
  userAgent!: string | null;
}
