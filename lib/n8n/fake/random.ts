/**
 * Seeded randomness for the generated source. Every execution draws from its own
 * stream, keyed by (seed, slot), so any execution can be computed alone, in any order,
 * without storing the ones before it.
 */
export type Rand = () => number;

function mix(h: number): number {
  // murmur3's finaliser: turns nearby inputs (slot 41, 42) into unrelated states.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A uniform [0, 1) stream (mulberry32) for slot `n` of `seed`; `salt` separates uses. */
export function streamFor(seed: number, n: number, salt = 0): Rand {
  let state = mix(mix(mix(seed ^ 0x9e3779b9) ^ (n >>> 0)) ^ Math.floor(n / 2 ** 32) ^ Math.imul(salt, 0x27d4eb2d));
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal draw (Box-Muller) from two uniforms. */
export function normal(u1: number, u2: number): number {
  return Math.sqrt(-2 * Math.log(Math.max(u1, 1e-12))) * Math.cos(2 * Math.PI * u2);
}

export function pick<T>(items: readonly T[], u: number): T {
  return items[Math.min(items.length - 1, Math.floor(u * items.length))];
}

/** Integer in [min, max]. */
export function between(min: number, max: number, u: number): number {
  return min + Math.floor(u * (max - min + 1));
}
