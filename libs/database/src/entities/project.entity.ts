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

  /** The secret before the last rotation: callbacks carry its signature too until `webhookSecretPreviousExpiresAt`. */
  @Column({ name: 'webhook_secret_previous', type: 'text', nullable: true })
  webhookSecretPrevious!: string | null;

  @Column({ name: 'webhook_secret_previous_expires_at', type: 'timestamptz', nullable: true })
  webhookSecretPreviousExpiresAt!: Date | null;

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

/** The secrets callbacks are signed with at `now`: the current one, and the previous one during a rotation's overlap. */
export function activeWebhookSecrets(
  project: Pick<ProjectEntity, 'webhookSecret' | 'webhookSecretPrevious' | 'webhookSecretPreviousExpiresAt'>,
  now = new Date(),
): string[] {
  const previous = project.webhookSecretPrevious;
  const until = project.webhookSecretPreviousExpiresAt;
  return previous && until && until > now ? [project.webhookSecret, previous] : [project.webhookSecret];
}
