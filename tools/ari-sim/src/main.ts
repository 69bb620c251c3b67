/**
 * Entry point: `node dist/tools/ari-sim/src/main.js`. Configuration comes from the environment
 * (config.ts); logs are JSON lines on stdout. Exits 1 on bad configuration or a busy port,
 * 0 after a clean SIGTERM/SIGINT shutdown.
 */
import { runSimulator } from '@gw/sim-kit';
import { ConfigError, loadConfig } from './config';
import { AriSimServer } from './server';

runSimulator({
  loadConfig: () => loadConfig(),
  configError: ConfigError,
  start: async (config, logger) => {
    const server = new AriSimServer({ ...config, logger });
    await server.start();
    return server;
  },
});
