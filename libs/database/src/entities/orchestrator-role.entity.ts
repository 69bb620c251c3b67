import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A role one call-orchestrator replica holds at a time, as a lease: e.g. `inbound:<server>`, taking
 * the inbound Stasis application of one Asterisk server. Another replica takes it once it expired.
 */
@Entity({ name: 'orchestrator_roles' })
export class OrchestratorRoleEntity {
  @PrimaryColumn({ type: 'text' })
  role!: string;

  @Column({ type: 'text' })
  owner!: string;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;
}
