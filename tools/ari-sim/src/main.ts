/**
 * Entry point: `node dist/tools/ari-sim/src/main.js`. Configuration comes from the environment
 * (config.ts); logs are JSON lines on stdout. Exits 1 on bad configuration or a busy port,
 * 0 after a clean SIGTERM/SIGINT shutdown.
 */
import { ConfigError, loadConfig } from './config';
import { jsonLogger } from './logger';
import { AriSimServer } from './server';

async function main(): Promise<void> {
  let logger = jsonLogger();
  try {
    const config = loadConfig();
    logger = jsonLogger(config.debug);
    const server = new AriSimServer({ ...config, logger });
    await server.start();
    let stopping = false;
    const shutdown = (signal: string): void => {
      if (stopping) return;
      stopping = true;
      logger.log('info', 'shutdown', { signal });
      // Sockets that refuse to close must not keep the process alive forever.
      setTimeout(() => process.exit(1), 5000).unref();
      server.stop().then(
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
