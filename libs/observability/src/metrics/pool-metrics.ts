import { Gauge } from 'prom-client';
import type { DataSource } from 'typeorm';
import { METRICS } from './registry';

/** The counters node-postgres keeps on a Pool (pg `Pool#totalCount`, `idleCount`, `waitingCount`). */
interface PgPoolCounts {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

const sources = new Set<DataSource>();

/** The pg Pool under a TypeORM DataSource: PostgresDriver keeps it as `master` (undefined once destroyed). */
function poolOf(ds: DataSource): PgPoolCounts | undefined {
  return (ds.driver as unknown as { master?: PgPoolCounts }).master;
}

new Gauge({
  name: 'gw_pg_pool_connections',
  help: 'Postgres pool connections of this process: total open, idle, and requests waiting for one',
  labelNames: ['state'] as const,
  registers: [METRICS],
  collect() {
    let total = 0;
    let idle = 0;
    let waiting = 0;
    for (const ds of sources) {
      const pool = poolOf(ds);
      if (!pool) continue;
      total += pool.totalCount;
      idle += pool.idleCount;
      waiting += pool.waitingCount;
    }
    this.set({ state: 'total' }, total);
    this.set({ state: 'idle' }, idle);
    this.set({ state: 'waiting' }, waiting);
  },
});

/** Reports the pool of a Postgres DataSource in `gw_pg_pool_connections{state}`, read at each scrape. */
export function watchPgPool(ds: DataSource): void {
  sources.add(ds);
}
