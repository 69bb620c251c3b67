/**
 * Entry point: `node dist/tools/smsc-sim/src/main.js`. Configuration comes from the environment
 * (see config.ts); logs are JSON lines on stdout. Exits 1 on bad configuration or a busy port,
 * 0 after a clean SIGTERM/SIGINT shutdown.
 */
import { ConfigError, loadConfig } from './config';
import { jsonLogger } from './logger';
import { startSimulator } from './simulator';

async function main(): Promise<void> {
  let logger = jsonLogger();
  try {
    const config = loadConfig();
    logger = jsonLogger(config.debug);
    for (const w of config.warnings) logger.log('warn', 'config.warning', { warning: w });
    const sim = await startSimulator(config, logger);
    let stopping = false;
    const shutdown = (signal: string): void => {
      if (stopping) return;
      stopping = true;
      logger.log('info', 'shutdown', { signal });
      // Sockets that refuse to close must not keep the process alive forever.
      setTimeout(() => process.exit(1), 5000).unref();
      sim.stop().then(
        () => process.exit(0),
        (err: unknown) => {
          logger.log('error', 'shutdown.failed', { error: String(err) });
          process.exit(1);
        },
      );
    };
    process.on('SIGTERM', () => shutdown('SIGTERM'));
    process.on('SIGINT', () => shutdown('SIGINT'));
  } catch (err) {
    const msg = err instanceof ConfigError ? 'config.invalid' : 'start.failed';
    logger.log('error', msg, { error: err instanceof Error ? err.message : String(err) });
    process.exit(1);
  }
}

void main();
