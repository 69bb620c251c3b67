export { ConfigError, loadConfig, baseEnv, apiEnv, ingressEnv, connectorEnv, workersEnv, orchestratorEnv } from './env';
export type { BaseConfig, ApiConfig, IngressConfig, ConnectorConfig, WorkersConfig, OrchestratorConfig } from './env';
export { APP_CONFIG } from './tokens';
export { parseAriServers } from './ari-servers';
export type { AriServerConfig } from './ari-servers';
