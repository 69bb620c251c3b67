import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { DATA_SOURCE, ProjectEntity, ProjectRateLimit } from '@gw/database';
import { RATE_LIMIT_CLASSES, RateLimitClass } from './classes';

/** The rate limits an operator set on projects (`projects.rate_limits`, jsonb). */
@Injectable()
export class ProjectRateLimitsRepository {
  constructor(@Inject(DATA_SOURCE) private readonly ds: DataSource) {}

  /** The project's limits by class ({} when it has none; classes this api does not know are left out); null when no such project. */
  async find(projectId: string): Promise<Partial<Record<RateLimitClass, ProjectRateLimit>> | null> {
    const row = await this.ds.getRepository(ProjectEntity).findOne({ select: { id: true, rateLimits: true }, where: { id: projectId } });
    if (!row) return null;
    const stored = row.rateLimits ?? {};
    return Object.fromEntries(RATE_LIMIT_CLASSES.filter((cls) => stored[cls]).map((cls) => [cls, stored[cls]]));
  }

  /** Runs `work` in one transaction. */
  transaction<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    return this.ds.transaction(work);
  }

  /** Replaces the project's limits ({} clears them); false when no such project. */
  async replace(
    projectId: string,
    limits: Partial<Record<RateLimitClass, ProjectRateLimit>>,
    tx: EntityManager = this.ds.manager,
  ): Promise<boolean> {
    const res = await tx.getRepository(ProjectEntity).update({ id: projectId }, { rateLimits: Object.keys(limits).length ? limits : null });
    return (res.affected ?? 0) > 0;
  }
}
