export { correlationIdOf, fastifyLogging, loggerModule, redactUrl, CORRELATION_HEADER, REDACT_PATHS } from './logger.module';
export { HealthController, readinessChecks, READINESS_CHECKS } from './health.module';
export type { ReadinessCheck } from './health.module';
export { createObservedApp, launch, launchWorkers } from './launch';
export { nestLogFn } from './log-fn';
export type { LogFn } from './log-fn';
export * from './metrics';
