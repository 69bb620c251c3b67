import cluster from 'node:cluster';
import { createServer } from 'node:http';
import { launchWorkers } from './launch';

/**
 * App run by launch.spec in a child process: each worker answers its pid on PORT. With
 * CRASH_AFTER_MS, worker 1 exits with code 3 after that many ms.
 */
launchWorkers(
  'fixture',
  () => Number(process.env.WORKERS),
  async () => {
    createServer((_req, res) => res.end(String(process.pid))).listen(Number(process.env.PORT), '127.0.0.1');
    const crashAfterMs = Number(process.env.CRASH_AFTER_MS ?? 0);
    if (crashAfterMs > 0 && cluster.worker?.id === 1) setTimeout(() => process.exit(3), crashAfterMs);
  },
);
