import type { EntityManager } from 'typeorm';
import type { ConnectorEntity, SmsRouteEntity } from '@gw/database';
import { ConnectorRepository } from './connector.repository';
import { RouteRepository } from './route.repository';

/** What a connector process runs: the enabled connectors and the enabled routes, read together. */
export interface RegistrySnapshot {
  connectors: ConnectorEntity[];
  routes: SmsRouteEntity[];
}

/**
 * Reads the enabled connectors and routes in one REPEATABLE READ transaction, so that both are of
 * the same moment (a route never names a connector created after the connectors were read).
 * `db` is the data source's manager.
 */
export function loadRegistry(db: EntityManager): Promise<RegistrySnapshot> {
  return db.transaction('REPEATABLE READ', async (tx) => ({
    connectors: await new ConnectorRepository(tx).listEnabled(),
    routes: await new RouteRepository(tx).listEnabled(),
  }));
}
