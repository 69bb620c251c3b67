import { EntityManager } from 'typeorm';
import { ConnectorEntity, keysetPage, newId, type BreakerOverride, type Page, type PageRequest } from '@gw/database';
import { DomainError, ErrorCode } from '@gw/errors';
import { isUniqueViolation } from './unique-violation';

/** A connector to register; absent limits and breaker settings take the column defaults (tps and window unlimited, 5 failures, 5000 ms). */
export interface NewConnector {
  name: string;
  kind: string;
  settings: Record<string, unknown>;
  enabled?: boolean;
  tps?: number | null;
  window?: number | null;
  breakerFailures?: number;
  breakerHalfOpenMs?: number;
}

/** Fields of a connector to change; an absent field keeps its value. The kind never changes. */
export type ConnectorChanges = Partial<Omit<NewConnector, 'kind'>>;

const NAME_INDEX = 'connectors_name_key';

/** The column of each field a connector is created or changed with (`window` is an SQL keyword). */
const COLUMNS = {
  name: 'name',
  settings: 'settings',
  enabled: 'enabled',
  tps: 'tps',
  window: '"window"',
  breakerFailures: 'breaker_failures',
  breakerHalfOpenMs: 'breaker_half_open_ms',
} as const satisfies Record<keyof ConnectorChanges, string>;

/** A field's value as a query parameter: settings as JSON text (node-postgres would send an array as a PostgreSQL array). */
function param(key: keyof typeof COLUMNS | 'id' | 'kind', value: unknown): unknown {
  return key === 'settings' ? JSON.stringify(value) : value;
}

/** INSERT of the given columns; those left out take their defaults. */
function insertStatement(values: Partial<Record<keyof typeof COLUMNS | 'id' | 'kind', unknown>>): { sql: string; params: unknown[] } {
  const keys = Object.keys(values) as Array<keyof typeof values>;
  const columns = keys.map((key) => (key === 'id' || key === 'kind' ? key : COLUMNS[key]));
  return {
    sql: `INSERT INTO connectors (${columns.join(', ')}) VALUES (${keys.map((_, i) => `$${i + 1}`).join(', ')})`,
    params: keys.map((key) => param(key, values[key])),
  };
}

/** 409 naming `name`: another connector has it. */
function nameTaken(): DomainError {
  return new DomainError(ErrorCode.Conflict, 'another connector has this name', [
    { field: 'name', message: 'already used by another connector' },
  ]);
}

/**
 * The SQL of the connector registry (`connectors`, migration Connectors1764600000000). Writes take
 * the transaction they belong to, so that their audit record commits with them; reads default to
 * `db` (the data source's manager). Connectors are never deleted: setEnabled(false) retires one.
 */
export class ConnectorRepository {
  constructor(private readonly db: EntityManager) {}

  /** A newest-first page of every connector, enabled or not. */
  list(req: PageRequest): Promise<Page<ConnectorEntity>> {
    return keysetPage(this.db.getRepository(ConnectorEntity).createQueryBuilder('c'), 'c', req);
  }

  /** The connector `id`, or null; `lock` takes its row lock (FOR UPDATE) in `db`, which must then be a transaction. */
  get(id: string, db: EntityManager = this.db, lock = false): Promise<ConnectorEntity | null> {
    return db.getRepository(ConnectorEntity).findOne({ where: { id }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
  }

  /** The connector named `name`, or null. */
  getByName(name: string): Promise<ConnectorEntity | null> {
    return this.db.getRepository(ConnectorEntity).findOneBy({ name });
  }

  /** Every enabled connector, by name: what the connector processes run. */
  listEnabled(): Promise<ConnectorEntity[]> {
    return this.db.getRepository(ConnectorEntity).find({ where: { enabled: true }, order: { name: 'ASC' } });
  }

  /** Of `ids`, those no connector has (enabled or not), in the order given. */
  async unknownIds(ids: readonly string[], db: EntityManager = this.db): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows: Array<{ id: string }> = await db.query(`SELECT id FROM connectors WHERE id = ANY($1::text[])`, [ids]);
    const known = new Set(rows.map((r) => r.id));
    return ids.filter((id) => !known.has(id));
  }

  /**
   * Registers a connector (`conn_...`); settings are stored as given (the caller validated them).
   * @throws DomainError conflict naming `name` when another connector has the name
   */
  async create(spec: NewConnector, tx: EntityManager): Promise<ConnectorEntity> {
    const id = newId('conn');
    const values: Partial<Record<keyof typeof COLUMNS | 'id' | 'kind', unknown>> = { id, kind: spec.kind };
    for (const key of Object.keys(COLUMNS) as Array<keyof typeof COLUMNS>) if (spec[key] !== undefined) values[key] = spec[key];
    const { sql, params } = insertStatement(values);
    await this.write(tx, sql, params);
    return tx.findOneByOrFail(ConnectorEntity, { id });
  }

  /**
   * Writes the fields given in `changes` (settings replaced whole) and sets updated_at.
   * @returns the connector as now stored, or null when there is none with this id.
   * @throws DomainError conflict naming `name` when another connector has the new name
   */
  async update(id: string, changes: ConnectorChanges, tx: EntityManager): Promise<ConnectorEntity | null> {
    const set = (Object.keys(COLUMNS) as Array<keyof typeof COLUMNS>).filter((key) => changes[key] !== undefined);
    const assignments = [...set.map((key, i) => `${COLUMNS[key]} = $${i + 2}`), 'updated_at = now()'];
    await this.write(tx, `UPDATE connectors SET ${assignments.join(', ')} WHERE id = $1`, [
      id,
      ...set.map((key) => param(key, changes[key])),
    ]);
    return tx.findOneBy(ConnectorEntity, { id });
  }

  /** Enables or disables (retires) the connector. @returns it as now stored, or null when there is none with this id. */
  setEnabled(id: string, enabled: boolean, tx: EntityManager): Promise<ConnectorEntity | null> {
    return this.update(id, { enabled }, tx);
  }

  /**
   * Forces the connector's circuit breaker open or closed on every replica, or returns it to its
   * own judgement (`null`). @returns the connector as now stored, or null when there is none with this id.
   */
  async setBreakerOverride(id: string, override: BreakerOverride | null, tx: EntityManager): Promise<ConnectorEntity | null> {
    await tx.query(`UPDATE connectors SET breaker_override = $2, updated_at = now() WHERE id = $1`, [id, override]);
    return tx.findOneBy(ConnectorEntity, { id });
  }

  /** Runs a write, answering a duplicate name as a 409 naming `name`. */
  private async write(tx: EntityManager, sql: string, params: unknown[]): Promise<void> {
    try {
      await tx.query(sql, params);
    } catch (err) {
      if (isUniqueViolation(err, NAME_INDEX)) throw nameTaken();
      throw err;
    }
  }
}
