import { jsonLogger, Logger } from './logger';

/** What a simulator's entry point provides: its config loader and how to start it. */
export interface SimulatorMain<C extends { debug: boolean; warnings?: string[] }> {
  loadConfig: () => C;
  /** Errors of this class are reported as `config.invalid`, others as `start.failed`. */
  configError: new (...args: never[]) => Error;
  start: (config: C, logger: Logger) => Promise<{ stop(): Promise<void> }>;
}

/**
 * Runs a simulator process: JSON-line logs on stdout, exit 1 on bad configuration or a failed start,
 * clean stop on SIGTERM/SIGINT (exit 0), forced exit after 5 s if sockets refuse to close.
 */
export function runSimulator<C extends { debug: boolean; warnings?: string[] }>(main: SimulatorMain<C>): void {
  let logger = jsonLogger();
  const boot = async (): Promise<void> => {
    const config = main.loadConfig();
    logger = jsonLogger(config.debug);
    for (const w of config.warnings ?? []) logger.log('warn', 'config.warning', { warning: w });
    const sim = await main.start(config, logger);
    let stopping = false;
    const shutdown = (signal: string): void => {
      if (stopping) return;
      stopping = true;
      logger.log('info', 'shutdown', { signal });
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
  };
  boot().catch((err: unknown) => {
    logger.log('error', err instanceof main.configError ? 'config.invalid' : 'start.failed', {
      error: err instanceof Error ? err.message : String(err),
    });
    process.exit(1);
  });
}
