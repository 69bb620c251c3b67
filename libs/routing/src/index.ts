export { ConnectorRepository } from './connector.repository';
export type { ConnectorChanges, NewConnector } from './connector.repository';
export { RouteRepository } from './route.repository';
export type { NewRoute, RouteChanges } from './route.repository';
export { loadRegistry } from './registry';
export type { RegistrySnapshot } from './registry';
export { orderCandidates } from './candidates';
export type { RouteCandidate } from './candidates';
export { validateConnectorSettings } from './connector-settings';
export {
  BREAKER_STALE_HEARTBEATS,
  BREAKER_STATES,
  breakerKey,
  breakerRecordStale,
  REGISTRY_CHANNEL,
  publishRegistryChange,
  readBreakerStates,
} from './registry-events';
export type { BreakerRecord, BreakerState, ReplicaBreakerState } from './registry-events';
