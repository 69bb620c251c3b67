import cluster from 'node:cluster';
import { DynamicModule, INestApplication } from '@nestjs/common';
import { AbstractHttpAdapter, NestFactory } from '@nestjs/core';
import type { NestApplicationOptions } from '@nestjs/common';
import { Logger } from 'nestjs-pino';
import { HttpErrorFilter } from '@gw/errors';
import { traceFastifyRequests } from '@gw/tracing';
import { aggregateWorkerMetrics, answerMetricsRequests } from './metrics/cluster-metrics';
import { expressHttpMetrics, fastifyHttpMetrics } from './metrics/http-metrics';

/**
 * Creates a Nest app whose logs go through pino (the module must import `loggerModule`), whose
 * errors go through HttpErrorFilter, and which closes its resources on SIGTERM. `adapter` is the
 * HTTP platform (Fastify for the api); Express when absent. Unless `httpMetrics` is false (the
 * apps' HTTP_METRICS=off), every request is counted per route template in `gw_http_requests_total`
 * and `gw_http_request_duration_seconds` (see http-metrics). A Fastify app's requests get server
 * spans when tracing is on (traceFastifyRequests).
 */
export async function createObservedApp<T extends INestApplication>(
  module: DynamicModule,
  options: NestApplicationOptions & { httpMetrics?: boolean } = {},
  adapter?: AbstractHttpAdapter,
): Promise<T> {
  const { httpMetrics = true, ...nestOptions } = options;
  const opts = { bufferLogs: true, ...nestOptions };
  if (adapter?.getType() === 'fastify') {
    traceFastifyRequests(adapter.getInstance());
    if (httpMetrics) fastifyHttpMetrics(adapter.getInstance());
  }
  const app = adapter ? await NestFactory.create<T>(module, adapter, opts) : await NestFactory.create<T>(module, opts);
  if (httpMetrics && !adapter) app.use(expressHttpMetrics());
  if (!options.preview) app.useLogger(app.get(Logger));
  app.useGlobalFilters(new HttpErrorFilter(app.getHttpAdapter()));
  app.enableShutdownHooks();
  return app;
}

/** Runs an app's `main`, exiting 1 with one line naming the app and the reason when it fails to start. */
export function launch(name: string, main: () => Promise<void>): void {
  main().catch((err: unknown) => failedToStart(name, err));
}

function failedToStart(name: string, err: unknown): never {
  process.stderr.write(`${name} failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}

/**
 * Runs an app's `main` in `workers()` processes that share its listening port (node:cluster, round
 * robin); with 1 it is `launch`. `workers` is read in the primary only (it usually parses config,
 * so a bad setting fails the start like `launch` does). The primary only supervises: SIGTERM or
 * SIGINT is passed to every worker and the primary exits once they have. A worker that exits on
 * its own takes the others down and the primary exits 1, so the app's supervisor (Kubernetes,
 * systemd, scripts/apps.sh) restarts the whole app rather than the primary looping on a worker
 * that keeps failing. A `GET /metrics` taken by any worker answers for all of them: the primary
 * aggregates every worker's registry (see aggregateWorkerMetrics).
 */
export function launchWorkers(name: string, workers: () => number, main: () => Promise<void>): void {
  let count = 1;
  if (cluster.isPrimary) {
    try {
      count = workers();
    } catch (err) {
      failedToStart(name, err);
    }
  }
  if (count <= 1 || !cluster.isPrimary) {
    if (cluster.isWorker) answerMetricsRequests();
    launch(name, main);
    return;
  }
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    stopping = true;
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill(signal);
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  cluster.on('exit', (worker, code, signal) => {
    if (!stopping) {
      process.stderr.write(`${name} worker ${worker.process.pid} exited (${signal ?? code}); stopping the others\n`);
      process.exitCode = 1;
      stop('SIGTERM');
    }
    if (Object.keys(cluster.workers ?? {}).length === 0) process.exit();
  });
  aggregateWorkerMetrics();
  for (let i = 0; i < count; i++) cluster.fork();
}
