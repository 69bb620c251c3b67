import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { ProjectEntity } from './project.entity';

/** Whom an opt-out keyword opts the handset out of: the number it wrote to, or the whole project. */
export type OptOutScope = 'sender' | 'project';

/**
 * A project's SMS keyword settings, set by the operator (`PUT /admin/projects/{id}/messaging-settings`).
 * No row: scope `sender` and the gateway's default texts. Null texts take the defaults too.
 */
@Entity({ name: 'project_messaging_settings' })
export class MessagingSettingsEntity {
  @PrimaryColumn({ name: 'project_id', type: 'text' })
  projectId!: string;

  @Column({ name: 'opt_out_scope', type: 'text', default: () => `'sender'` })
  optOutScope!: OptOutScope;

  /** Answer to HELP / INFO. */
  @Column({ name: 'help_text', type: 'text', nullable: true })
  helpText!: string | null;

  /** The single confirmation sent after an opt-out keyword. */
  @Column({ name: 'stop_confirmation', type: 'text', nullable: true })
  stopConfirmation!: string | null;

  /** The confirmation sent after an opt-in keyword. */
  @Column({ name: 'start_confirmation', type: 'text', nullable: true })
  startConfirmation!: string | null;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;

  @ManyToOne(() => ProjectEntity, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'project_id', foreignKeyConstraintName: 'project_messaging_settings_project_id_fkey' })
  project?: ProjectEntity;
}
