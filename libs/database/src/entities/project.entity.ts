import { Column, CreateDateColumn, Entity, EntityManager, PrimaryColumn } from 'typeorm';

/** One endpoint class's limit as stored in `projects.rate_limits`: requests per window (seconds). */
export interface ProjectRateLimit {
  per_key: number;
  per_project: number;
  window_s: number;
}

/**
 * Which `dial` targets a project's flows may call, as the operator set them (`projects.dial_allowlist`);
 * each list allows exactly what it names. Matching: `dialTargetRefusal` of @gw/calls.
 */
export interface DialAllowlist {
  /** E.164 prefixes, `+` then 1-15 digits (`+1`, `+4420`): an E.164 target must start with one. */
  e164_prefixes: string[];
  /** Host names, lower case (`pbx.example.com`): a `sip:` / `sips:` target's host must be one of them. */
  sip_domains: string[];
  /** Asterisk PJSIP endpoints as written after `PJSIP/` (`alice`, `1000@trunk`): a `PJSIP/` target must be one of them. */
  pjsip_endpoints: string[];
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

  /** Dial targets the project's flows may call; null (the default): any E.164 number, no SIP URI nor PJSIP endpoint. */
  @Column({ name: 'dial_allowlist', type: 'jsonb', nullable: true })
  dialAllowlist!: DialAllowlist | null;

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

/** True when the project exists (read through `db`: a transaction's manager, or the data source's). */
export function projectExists(db: EntityManager, projectId: string): Promise<boolean> {
  return db.existsBy(ProjectEntity, { id: projectId });
}
