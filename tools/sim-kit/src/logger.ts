/** Structured logging: one JSON object per line on stdout. */

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Minimal logger interface used across the simulators. */
export interface Logger {
  log(level: LogLevel, msg: string, fields?: Record<string, unknown>): void;
}

/** Writes `{"ts":ISO-8601,"level":...,"msg":...,...fields}` lines to stdout; debug only when `debug` is true. */
export function jsonLogger(debug = false): Logger {
  return {
    log(level, msg, fields = {}) {
      if (level === 'debug' && !debug) return;
      process.stdout.write(JSON.stringify({ ts: new Date().toISOString(), level, msg, ...fields }) + '\n');
    },
  };
}

/** Discards everything (for tests). */
export const silentLogger: Logger = { log() {} };
