/**
 * Entry point: `node dist/tools/smsc-sim/src/main.js`. Configuration comes from the environment
 * (see config.ts); logs are JSON lines on stdout. Exits 1 on bad configuration or a busy port,
 * 0 after a clean SIGTERM/SIGINT shutdown.
 */
import { runSimulator } from '@gw/sim-kit';
import { ConfigError, loadConfig } from './config';
import { startSimulator } from './simulator';

runSimulator({ loadConfig: () => loadConfig(), configError: ConfigError, start: startSimulator });
