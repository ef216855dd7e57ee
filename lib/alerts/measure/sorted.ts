/**
 * Sums over ranges of a sorted time line, in O(log n) each: a backtest asks thousands of
 * instants over the same rows, and a scan per instant would block the event loop.
 */

/** The index of the first element of ascending `times` at or after `t`. */
export function lowerBound(times: ArrayLike<number>, t: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Points in time with an amount each, summed over any [from, to) by prefix sums. */
export class TimeSums {
  private readonly times: number[];
  private readonly prefix: number[];

  /** `points` in ascending time. */
  constructor(points: ReadonlyArray<{ at: number; amount: number }>) {
    this.times = points.map((p) => p.at);
    this.prefix = [0];
    for (const p of points) this.prefix.push(this.prefix.at(-1)! + p.amount);
  }

  sum(from: number, to: number): number {
    if (to <= from) return 0;
    return this.prefix[lowerBound(this.times, to)]! - this.prefix[lowerBound(this.times, from)]!;
  }
}
