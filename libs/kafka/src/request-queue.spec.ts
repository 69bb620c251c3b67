/**
 * kafkajs 2.2.4 as patched by patches/kafkajs+2.2.4.patch (applied by `npm install`'s postinstall):
 * an idle broker connection arms no timer, and a queued request is still sent once it may be.
 */
interface RequestQueue {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  checkPendingRequests(): void;
  push(request: { entry: { correlationId: number; resolve: () => void }; expectResponse: boolean; sendRequest: () => void }): void;
  destroy(): void;
}

// kafkajs publishes no types for its internals; the class is required from its source path.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const RequestQueueClass = require('kafkajs/src/network/requestQueue') as new (opts: object) => RequestQueue;

const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/** Whether a pending-request check is scheduled. */
const armed = (queue: RequestQueue): boolean => queue.throttleCheckTimeoutId !== null;

function newQueue(): RequestQueue {
  return new RequestQueueClass({
    maxInFlightRequests: null,
    requestTimeout: 30000,
    clientId: 'test',
    broker: 'localhost:9092',
    logger: silent,
  });
}

describe('kafkajs RequestQueue (patched)', () => {
  let queue: RequestQueue;
  beforeEach(() => {
    queue = newQueue();
  });
  afterEach(() => queue.destroy());

  it('arms no timer while nothing is pending, so an idle connection sleeps', () => {
    queue.checkPendingRequests();
    expect(armed(queue)).toBe(false);
  });

  it('sends a request queued behind a client-side throttle once the throttle ends, then stops checking', async () => {
    const sent = jest.fn();
    queue.throttledUntil = Date.now() + 30;
    queue.push({ entry: { correlationId: 1, resolve: () => undefined }, expectResponse: false, sendRequest: sent });
    expect(sent).not.toHaveBeenCalled();
    expect(armed(queue)).toBe(true);
    await new Promise((r) => setTimeout(r, 100));
    expect(sent).toHaveBeenCalledTimes(1);
    expect(queue.pending).toHaveLength(0);
    expect(armed(queue)).toBe(false);
  });
});
