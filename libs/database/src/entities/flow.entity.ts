import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { ProjectEntity } from './project.entity';

/** A named call flow of a project; `active_version` is the one version inbound calls and `flow_id` calls run. */
@Entity({ name: 'flows' })
export class FlowEntity {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Index('flows_project_id_idx')
  @Column({ name: 'project_id', type: 'text' })
  projectId!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ name: 'active_version', type: 'integer', nullable: true })
  activeVersion!: number | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @ManyToOne(() => ProjectEntity, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'project_id', foreignKeyConstraintName: 'flows_project_id_fkey' })
  project?: ProjectEntity;
}

/** One immutable version of a flow: the validated DSL document. */
@Entity({ name: 'flow_versions' })
export class FlowVersionEntity {
  @PrimaryColumn({ name: 'flow_id', type: 'text' })
  flowId!: string;

  @PrimaryColumn({ type: 'integer' })
  version!: number;

  @Column({ type: 'jsonb' })
  document!: Record<string, unknown>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @ManyToOne(() => FlowEntity, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'flow_id', foreignKeyConstraintName: 'flow_versions_flow_id_fkey' })
  flow?: FlowEntity;
}
