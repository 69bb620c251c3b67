/** A task started by runPeriodically. */
export interface PeriodicTask {
  /** Clears the timer, tells the run in progress to stop (see `stopping`) and waits for it. */
  stop: () => Promise<void>;
}

/**
 * Runs `task` now and then every `intervalMs`, never two runs at once in this process (a tick
 * while one runs is skipped). `task` gets `stopping()`, true once stop() was called, to end
 * between two batches. A run that throws is passed to `onError`; the next tick runs again.
 */
export function runPeriodically(
  task: (stopping: () => boolean) => Promise<unknown>,
  intervalMs: number,
  onError: (err: unknown) => void,
): PeriodicTask {
  let running: Promise<void> | null = null;
  let stopping = false;
  const tick = (): void => {
    if (running || stopping) return;
    running = task(() => stopping)
      .then(() => undefined, onError)
      .finally(() => {
        running = null;
      });
  };
  tick();
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return {
    stop: async () => {
      stopping = true;
      clearInterval(timer);
      await running;
    },
  };
}
