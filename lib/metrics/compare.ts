/** Rounding, rates and the comparison with the previous period, as every metric answer uses them. */
import type { Comparison } from "./types";

export function round(n: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

export function roundOrNull(n: number | null, digits = 2): number | null {
  return n === null ? null : round(n, digits);
}

/** part / whole in percent, two decimals; null when there is no whole. */
export function pct(part: number, whole: number): number | null {
  return whole > 0 ? round((100 * part) / whole) : null;
}

/**
 * value against the previous period: delta (rounded to `digits`, 6 for USD), and percent
 * change when the previous value is not 0.
 */
export function compare(current: number | null, previous: number | null, digits = 2): Comparison {
  if (current === null || previous === null) return { previous, delta: null, deltaPct: null };
  return {
    previous,
    delta: round(current - previous, digits),
    deltaPct: previous === 0 ? null : round((100 * (current - previous)) / previous),
  };
}
