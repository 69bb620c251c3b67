import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** One endpoint class's limit as stored in `projects.rate_limits`: requests per window (seconds). */
export interface ProjectRateLimit {
  per_key: number;
  per_project: number;
  window_s: number;
}

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

  /**
   * Rate limits the operator set for this project, by endpoint class (`messages:send` ...):
   * requests per `window_s` seconds per credential and for the whole project; null or a class
   * absent: the api's defaults.
   */
  @Column({ name: 'rate_limits', type: 'jsonb', nullable: true })
  rateLimits!: Record<string, ProjectRateLimit> | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
