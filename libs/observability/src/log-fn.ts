import type { Logger } from '@nestjs/common';

/** A plain logging function, the shape the libs' workers (relay, consumers, ARI connection) take. */
export type LogFn = (level: 'error' | 'warn' | 'info' | 'debug', msg: string, extra?: Record<string, unknown>) => void;

/** A LogFn writing through a Nest logger (and so through pino): `extra` becomes the structured fields. */
export function nestLogFn(logger: Logger): LogFn {
  return (level, msg, extra = {}) => {
    if (level === 'error') logger.error(extra, msg);
    else if (level === 'warn') logger.warn(extra, msg);
    else if (level === 'debug') logger.debug(extra, msg);
    else logger.log(extra, msg);
  };
}
