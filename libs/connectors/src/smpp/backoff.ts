/** Reconnect timing for SMPP binds. */

/**
 * A deterministic pseudo-random source in [0, 1) (mulberry32) for backoff jitter and
 * concatenation references; tests pass a fixed seed, the adapter seeds it from crypto.
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * Delay before reconnect attempt `attempt` (0 for the first retry after a drop), in ms: exponential
 * `minMs * 2^attempt` capped at `maxMs`, with equal jitter (a random point in the upper half), never
 * below `minMs`. Jitter keeps the binds of many connectors from reconnecting in step after an SMSC
 * restart.
 */
export function reconnectDelay(attempt: number, minMs: number, maxMs: number, random: () => number): number {
  const cap = Math.min(maxMs, minMs * 2 ** Math.min(attempt, 30));
  return Math.max(minMs, Math.round(cap / 2 + (random() * cap) / 2));
}
