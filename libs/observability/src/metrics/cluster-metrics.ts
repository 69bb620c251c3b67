import cluster from 'node:cluster';
import { AggregatorRegistry } from 'prom-client';
import { METRICS, processMetrics } from './registry';

/** IPC message a worker sends the primary to have the whole app scraped. */
const SCRAPE_REQUEST = 'gw:metrics-scrape';
/** The primary's answer: the aggregated exposition text, or why it failed. */
const SCRAPE_ANSWER = 'gw:metrics-scraped';
/** How long a worker waits for the primary (ms); prom-client's clusterMetrics gives up after 5 s itself. */
const SCRAPE_TIMEOUT_MS = 7000;

interface ScrapeRequest {
  type: typeof SCRAPE_REQUEST;
  id: number;
}
interface ScrapeAnswer {
  type: typeof SCRAPE_ANSWER;
  id: number;
  text?: string;
  error?: string;
}

let clustered = false;
let nextId = 0;
const pending = new Map<number, { resolve: (text: string) => void; reject: (err: Error) => void }>();

/**
 * In the primary of a node:cluster app (see launchWorkers): answers a worker's scrape request with
 * every worker's metrics aggregated by prom-client's AggregatorRegistry (`clusterMetrics()`:
 * counters and histograms summed, each gauge by its `aggregator`). Call before forking.
 */
export function aggregateWorkerMetrics(): void {
  const aggregator = new AggregatorRegistry();
  cluster.on('message', (worker, message: ScrapeRequest) => {
    if (message?.type !== SCRAPE_REQUEST) return;
    const answer = (a: Omit<ScrapeAnswer, 'type' | 'id'>): void => {
      if (worker.isConnected()) worker.send({ type: SCRAPE_ANSWER, id: message.id, ...a });
    };
    aggregator.clusterMetrics().then(
      (text) => answer({ text }),
      (err: Error) => answer({ error: err.message }),
    );
  });
}

/**
 * In a worker of a node:cluster app: hands METRICS (with the default process metrics) to the
 * primary when it aggregates, and makes scrapeMetrics ask the primary for the whole app.
 */
export function answerMetricsRequests(): void {
  clustered = true;
  processMetrics();
  AggregatorRegistry.setRegistries([METRICS]);
  // Constructing one installs prom-client's listener that answers the primary's requests in a worker.
  new AggregatorRegistry();
  process.on('message', (message: ScrapeAnswer) => {
    if (message?.type !== SCRAPE_ANSWER) return;
    const waiter = pending.get(message.id);
    if (!waiter) return;
    pending.delete(message.id);
    if (message.text !== undefined) waiter.resolve(message.text);
    else waiter.reject(new Error(`metrics aggregation failed: ${message.error ?? 'no answer'}`));
  });
}

function scrapeCluster(): Promise<string> {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      pending.delete(id);
      reject(new Error(`metrics aggregation timed out after ${SCRAPE_TIMEOUT_MS} ms`));
    }, SCRAPE_TIMEOUT_MS);
    pending.set(id, {
      resolve: (text) => {
        clearTimeout(timer);
        resolve(text);
      },
      reject: (err) => {
        clearTimeout(timer);
        reject(err);
      },
    });
    process.send?.({ type: SCRAPE_REQUEST, id } satisfies ScrapeRequest);
  });
}

/**
 * The app's metrics in Prometheus text format 0.0.4: this process's registry, or in a clustered
 * app (answerMetricsRequests) every worker's, aggregated by the primary, so one scrape answers for
 * the whole app whichever worker takes it.
 * @throws Error when the primary does not answer within 7 s or a worker did not answer it.
 */
export function scrapeMetrics(): Promise<string> {
  return clustered ? scrapeCluster() : processMetrics().metrics();
}
