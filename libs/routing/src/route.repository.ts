import { EntityManager } from 'typeorm';
import { keysetPage, newId, SmsRouteEntity, type Page, type PageRequest } from '@gw/database';

/** An SMS route to create; `projectId` null applies it to every project, `price` null sorts it after priced routes. */
export interface NewRoute {
  projectId: string | null;
  /** E.164 digits without `+`, at most 15; '' matches every destination. */
  prefix: string;
  price: number | null;
  /** Ordered failover list, 1 to 10 connector ids. */
  connectorIds: string[];
  enabled?: boolean;
}

/** Fields of a route to change; an absent field keeps its value. */
export type RouteChanges = Partial<NewRoute>;

/** The E.164 digits of `e164` (`+447700900123` or `447700900123`), or null when it is no E.164 number (1 to 15 digits, no leading 0). */
function e164Digits(e164: string): string | null {
  return /^\+?([1-9][0-9]{1,14})$/.exec(e164)?.[1] ?? null;
}

/**
 * The SQL of SMS routing (`sms_routes`, migration Connectors1764600000000). Writes take the
 * transaction they belong to, so that their audit record commits with them; reads default to `db`
 * (the data source's manager). Connector ids are not checked here (an array has no foreign key):
 * callers check them with ConnectorRepository.unknownIds.
 */
export class RouteRepository {
  constructor(private readonly db: EntityManager) {}

  /** A newest-first page of the routes: those of `projectId` only when given, else every route (global ones included). */
  list(req: PageRequest & { projectId?: string }): Promise<Page<SmsRouteEntity>> {
    const qb = this.db.getRepository(SmsRouteEntity).createQueryBuilder('r');
    if (req.projectId !== undefined) qb.where('r.project_id = :projectId', { projectId: req.projectId });
    return keysetPage(qb, 'r', req);
  }

  /** The route `id`, or null; `lock` takes its row lock (FOR UPDATE) in `db`, which must then be a transaction. */
  get(id: string, db: EntityManager = this.db, lock = false): Promise<SmsRouteEntity | null> {
    return db.getRepository(SmsRouteEntity).findOne({ where: { id }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
  }

  /** Every enabled route: what the connector processes route by. */
  listEnabled(): Promise<SmsRouteEntity[]> {
    return this.db.getRepository(SmsRouteEntity).find({ where: { enabled: true }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  /** Creates a route (`rte_...`). */
  async create(spec: NewRoute, tx: EntityManager): Promise<SmsRouteEntity> {
    const id = newId('rte');
    await tx.insert(SmsRouteEntity, {
      id,
      projectId: spec.projectId,
      prefix: spec.prefix,
      price: spec.price,
      connectorIds: spec.connectorIds,
      enabled: spec.enabled,
    });
    return tx.findOneByOrFail(SmsRouteEntity, { id });
  }

  /** Writes the fields given in `changes`. @returns the route as now stored, or null when there is none with this id. */
  async update(id: string, changes: RouteChanges, tx: EntityManager): Promise<SmsRouteEntity | null> {
    const set: Partial<SmsRouteEntity> = {};
    for (const key of ['projectId', 'prefix', 'price', 'connectorIds', 'enabled'] as const) {
      if (changes[key] !== undefined) (set as Record<string, unknown>)[key] = changes[key];
    }
    await tx.update(SmsRouteEntity, { id }, set);
    return tx.findOneBy(SmsRouteEntity, { id });
  }

  /** Deletes the route. @returns the deleted route, or null when there was none with this id. */
  async delete(id: string, tx: EntityManager): Promise<SmsRouteEntity | null> {
    const row = await this.get(id, tx, true);
    if (row) await tx.delete(SmsRouteEntity, { id });
    return row;
  }

  /**
   * The enabled routes that apply to an MT of `projectId` to `e164`: the project's own and the
   * global ones (project_id null) whose prefix starts the destination's E.164 digits ('' matches
   * all). Unordered: orderCandidates ranks them. One scan of the (project_id, prefix) index per
   * scope, over the destination's 16 possible prefixes.
   * @throws RangeError when `e164` is no E.164 number (the number itself is not repeated: it is personal data)
   */
  async matching(projectId: string, e164: string): Promise<SmsRouteEntity[]> {
    const digits = e164Digits(e164);
    if (digits === null) throw new RangeError('the destination is not an E.164 number');
    const prefixes = Array.from({ length: digits.length + 1 }, (_, n) => digits.slice(0, n));
    return this.db
      .getRepository(SmsRouteEntity)
      .createQueryBuilder('r')
      .where('r.enabled')
      .andWhere('(r.project_id = :projectId OR r.project_id IS NULL)', { projectId })
      .andWhere('r.prefix IN (:...prefixes)', { prefixes })
      .getMany();
  }
}
