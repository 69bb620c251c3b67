import { Column, JoinColumn, ManyToOne, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import { ProjectEntity } from './project.entity';

/** A project's API key, stored as its SHA-256 hash; `prefix` is the lookup handle printed in the key. */
@Entity({ name: 'api_keys' })
export class ApiKeyEntity {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Index('api_keys_project_id_idx')
  @Column({ name: 'project_id', type: 'text' })
  projectId!: string;

  @Index('api_keys_prefix_key', { unique: true })
  @Column({ type: 'text' })
  prefix!: string;

  @Column({ name: 'key_hash', type: 'text' })
  keyHash!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  /** A label for people (`billing service`); null when none was given. */
  @Column({ type: 'text', nullable: true })
  name!: string | null;

  /** Scopes the key grants (see the api's SCOPES); null = every scope. */
  @Column({ type: 'text', array: true, nullable: true })
  scopes!: string[] | null;

  /** After this the key is refused; null = never. A rotated key expires at the end of its overlap. */
  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt!: Date | null;

  @ManyToOne(() => ProjectEntity, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'project_id', foreignKeyConstraintName: 'api_keys_project_id_fkey' })
  project?: ProjectEntity;
}
