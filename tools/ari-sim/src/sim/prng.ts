/**
 * A small seeded pseudo-random generator (mulberry32, public domain, by Tommy Ettinger): the
 * realistic mode's delays come from it so that one seed always gives the same sequence, which
 * Math.random cannot do.
 */

/** Returns a generator of floats in [0, 1) for a 32-bit seed (other numbers are truncated to 32 bits). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A uniform integer in [0, max] drawn from `random` (a generator of floats in [0, 1)). */
export function randomInt(random: () => number, max: number): number {
  return max <= 0 ? 0 : Math.floor(random() * (max + 1));
}
