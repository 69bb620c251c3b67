export { loggerModule, redactUrl, CORRELATION_HEADER, REDACT_PATHS } from './logger.module';
