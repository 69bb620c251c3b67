export { ConfigError, loadConfig, baseEnv, apiEnv, ingressEnv, connectorEnv, workersEnv, orchestratorEnv } from './env';
export type { BaseConfig, ApiConfig, IngressConfig, ConnectorConfig, WorkersConfig, OrchestratorConfig } from './env';
export { APP_CONFIG } from './tokens';
