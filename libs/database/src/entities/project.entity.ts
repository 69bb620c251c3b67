import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A tenant: owns API keys, numbers, messages; signs its callbacks with `webhook_secret` (Standard Webhooks `whsec_...`). */
@Entity({ name: 'projects' })
export class ProjectEntity {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ name: 'default_callback_url', type: 'text', nullable: true })
  defaultCallbackUrl!: string | null;

  @Column({ name: 'webhook_secret', type: 'text' })
  webhookSecret!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
