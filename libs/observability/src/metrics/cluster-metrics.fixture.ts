import { createServer } from 'node:http';
import { Counter } from 'prom-client';
import { launchWorkers } from '../launch';
import { METRICS } from './registry';
import { scrapeMetrics } from './cluster-metrics';

/**
 * App run by cluster-metrics.spec in a child process, in WORKERS workers on PORT: `/hit` counts
 * one `fixture_hits_total` in the worker that takes it and answers its pid; `/metrics` answers
 * scrapeMetrics().
 */
launchWorkers(
  'fixture',
  () => Number(process.env.WORKERS),
  async () => {
    const hits = new Counter({ name: 'fixture_hits_total', help: 'hits', registers: [METRICS] });
    createServer((req, res) => {
      if (req.url === '/hit') {
        hits.inc();
        res.end(String(process.pid));
        return;
      }
      scrapeMetrics().then(
        (text) => res.end(text),
        (err: Error) => {
          res.statusCode = 500;
          res.end(err.message);
        },
      );
    }).listen(Number(process.env.PORT), '127.0.0.1');
  },
);
