import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { ProjectEntity } from './project.entity';

/** What an MO keyword did: `opt_out` (STOP ...), `opt_in` (START ...), `help` (HELP, INFO). */
export type KeywordAction = 'opt_out' | 'opt_in' | 'help';

/** How an opt-out came to be: an MO keyword from the handset, or a project's `POST /v1/opt-outs`. */
export type OptOutSource = 'keyword' | 'api';

/**
 * A handset (`phone`, E.164) that opted out of MTs from `sender` (an E.164 number or alphanumeric
 * sender id), or from every sender of the project when `sender` is null (see migration
 * OptOuts1764400000000). The unique index is created NULLS NOT DISTINCT by the migration, which
 * TypeORM's decorators cannot express.
 */
@Entity({ name: 'opt_outs' })
@Index('opt_outs_project_phone_sender_key', ['projectId', 'phone', 'sender'], { unique: true })
@Index('opt_outs_project_created_idx', ['projectId', 'createdAt', 'id'])
export class OptOutEntity {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ name: 'project_id', type: 'text' })
  projectId!: string;

  /** The handset, E.164. */
  @Column({ type: 'text' })
  phone!: string;

  /** The sender opted out of; null: the whole project. */
  @Column({ type: 'text', nullable: true })
  sender!: string | null;

  @Column({ type: 'text' })
  source!: OptOutSource;

  /** The keyword as the handset sent it, upper-cased (`STOP`); null for `api`. */
  @Column({ type: 'text', nullable: true })
  keyword!: string | null;

  /** The MO that carried the keyword (`msg_...`); a reference only, so erasing messages never depends on it. */
  @Column({ name: 'message_id', type: 'text', nullable: true })
  messageId!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @ManyToOne(() => ProjectEntity, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'project_id', foreignKeyConstraintName: 'opt_outs_project_id_fkey' })
  project?: ProjectEntity;
}
