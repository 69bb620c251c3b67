/**
 * Starts OpenTelemetry tracing before anything it instruments is loaded: `main.ts` imports this
 * file first, and compiled CommonJS keeps that order. Off unless OTEL_EXPORTER_OTLP_ENDPOINT is set.
 */
import { startTracing } from '@gw/tracing';

startTracing('api');
