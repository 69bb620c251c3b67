/**
 * A reading shared by the collectors of one scrape: `load` runs at most once per `ttlMs` (ms), a
 * load in flight is shared, and each load is bounded by `timeoutMs` (ms).
 * @returns a function resolving to the latest reading; it rejects when the load fails or times out.
 */
export function cachedReading<T>(load: () => Promise<T>, ttlMs: number, timeoutMs: number, what: string): () => Promise<T> {
  let current: { at: number; value: Promise<T> } | null = null;
  return () => {
    const now = Date.now();
    if (current && now - current.at < ttlMs) return current.value;
    const value = withTimeout(load(), timeoutMs, what);
    current = { at: now, value };
    // A failed reading is not kept: the next scrape tries again.
    value.catch(() => {
      if (current?.value === value) current = null;
    });
    return value;
  };
}

function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took over ${ms} ms`)), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
