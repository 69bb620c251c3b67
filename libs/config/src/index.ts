export { ConfigError, loadConfig, baseEnv, apiEnv, ingressEnv, connectorEnv, workersEnv } from './env';
export type { BaseConfig, ApiConfig, IngressConfig, ConnectorConfig, WorkersConfig } from './env';
export { APP_CONFIG } from './tokens';
