export { jsonLogger, silentLogger } from './logger';
export type { Logger, LogLevel } from './logger';
export { runSimulator } from './run';
export type { SimulatorMain } from './run';
