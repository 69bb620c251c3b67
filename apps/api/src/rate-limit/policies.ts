import { AuditContext, AuditLogRepository } from '../audit/audit-log.repository';
import { Inject, Injectable } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { LRUCache } from 'lru-cache';
import { ConfigError } from '@gw/config';
import type { ProjectRateLimit } from '@gw/database';
import { DomainError, fieldErrorsOf } from '@gw/errors';
import { RateLimitsDto } from '../admin/dto/rate-limits.dto';
import { RATE_LIMIT_CLASSES, RateLimitClass } from './classes';
import { ProjectRateLimitsRepository } from './project-rate-limits.repository';

/** Every class's limit. */
export type RateLimitTable = Record<RateLimitClass, ProjectRateLimit>;

/** The classes a project's operator set; the others take the defaults. */
export type RateLimitOverrides = Partial<RateLimitTable>;

/** Injection token of the api's default RateLimitTable (built-in, then RATE_LIMITS over it). */
export const RATE_LIMIT_DEFAULTS = Symbol('RATE_LIMIT_DEFAULTS');

/** How long a project's limits are read from memory: an operator's change reaches every api process within this. */
export const RATE_LIMIT_CACHE_TTL_MS = 5_000;

const perSecond = (perKey: number, perProject: number): ProjectRateLimit => ({ per_key: perKey, per_project: perProject, window_s: 1 });

/**
 * Built-in defaults, per second. They are guard rails above what one api host serves (the
 * throughput benchmark sends about 8,000 POST /v1/messages a second with one key), so they never
 * throttle a deployment that has not chosen limits; operators set theirs in RATE_LIMITS and per
 * project.
 */
export const BUILT_IN_RATE_LIMITS: RateLimitTable = {
  'messages:send': perSecond(20_000, 40_000),
  'messages:read': perSecond(20_000, 40_000),
  'calls:write': perSecond(5_000, 10_000),
  'calls:read': perSecond(20_000, 40_000),
  flows: perSecond(1_000, 2_000),
  'usage:read': perSecond(200, 400),
  numbers: perSecond(200, 400),
  'opt-outs': perSecond(200, 400),
};

/** The classes `dto` sets (null or absent ones left out). */
export function overridesOf(dto: RateLimitsDto): RateLimitOverrides {
  const out: RateLimitOverrides = {};
  for (const cls of RATE_LIMIT_CLASSES) {
    const l = dto[cls];
    if (l) out[cls] = { per_key: l.per_key, per_project: l.per_project, window_s: l.window_s };
  }
  return out;
}

/**
 * The default table: BUILT_IN_RATE_LIMITS with the classes `json` (the RATE_LIMITS variable,
 * `{"<class>":{"per_key":n,"per_project":n,"window_s":s}}`, '' for none) sets replaced. Checked by
 * the same rules as the admin route's body.
 * @throws ConfigError naming RATE_LIMITS and each bad field.
 */
export function defaultRateLimits(json: string): RateLimitTable {
  let parsed: unknown;
  try {
    parsed = json.trim() === '' ? {} : JSON.parse(json);
  } catch {
    throw new ConfigError(['RATE_LIMITS: not valid JSON']);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new ConfigError(['RATE_LIMITS: must be a JSON object']);
  const dto = plainToInstance(RateLimitsDto, parsed);
  const errors = fieldErrorsOf(validateSync(dto, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true }));
  if (errors.length) throw new ConfigError(errors.map((e) => `RATE_LIMITS.${e.field}: ${e.message}`));
  return { ...BUILT_IN_RATE_LIMITS, ...overridesOf(dto) };
}

/**
 * Limits in force per project: the defaults with the operator's overrides (projects.rate_limits)
 * over them. Overrides are read through a per-process cache of RATE_LIMIT_CACHE_TTL_MS (one
 * Postgres read per project and period, concurrent misses sharing it).
 */
@Injectable()
export class RateLimitPolicies {
  private readonly overrides: LRUCache<string, RateLimitOverrides>;

  constructor(
    @Inject(RATE_LIMIT_DEFAULTS) private readonly defaults: RateLimitTable,
    private readonly repo: ProjectRateLimitsRepository,
    private readonly audit: AuditLogRepository,
  ) {
    this.overrides = new LRUCache<string, RateLimitOverrides>({
      max: 10_000,
      ttl: RATE_LIMIT_CACHE_TTL_MS,
      fetchMethod: async (projectId) => (await this.repo.find(projectId)) ?? {},
    });
  }

  /** The limit of `cls` for an authenticated project. */
  async limitOf(projectId: string, cls: RateLimitClass): Promise<ProjectRateLimit> {
    return (await this.overrides.fetch(projectId))?.[cls] ?? this.defaults[cls];
  }

  /** Every class's effective limit for a project (admin). @throws DomainError not_found */
  async effective(projectId: string): Promise<RateLimitTable> {
    const own = await this.repo.find(projectId);
    if (!own) throw DomainError.notFound('project');
    return this.merge(own);
  }

  /**
   * Replaces a project's overrides with `overrides` ({} returns it to the defaults) and answers
   * its effective limits; this process applies them at once, the others within
   * RATE_LIMIT_CACHE_TTL_MS; the change is audited. @throws DomainError not_found
   */
  async replace(ctx: AuditContext, projectId: string, overrides: RateLimitOverrides): Promise<RateLimitTable> {
    await this.repo.transaction(async (tx) => {
      if (!(await this.repo.replace(projectId, overrides, tx))) throw DomainError.notFound('project');
      await this.audit.record(ctx, { action: 'rate_limits.set', projectId, target: projectId, detail: { limits: overrides } }, tx);
    });
    this.overrides.set(projectId, overrides);
    return this.merge(overrides);
  }

  private merge(overrides: RateLimitOverrides): RateLimitTable {
    return Object.fromEntries(RATE_LIMIT_CLASSES.map((cls) => [cls, overrides[cls] ?? this.defaults[cls]])) as RateLimitTable;
  }
}
