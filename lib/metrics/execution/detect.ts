/**
 * Robust outlier detection for the patterns section. Pure: series in, findings out.
 *
 * The baseline of a point is the median and MAD (median absolute deviation) of the points
 * before it (the trailing `window`, or with `stride` 24 on an hourly series the same hour
 * on previous days). Median and MAD ignore the spikes they are meant to find, unlike a
 * mean and standard deviation. The robust z-score is 0.6745·(x − median)/MAD (Iglewicz
 * and Hoaglin); |z| ≥ 3.5 is their outlier rule.
 *
 * MAD = 0 (over half the baseline identical, e.g. mostly zero failures): the mean
 * absolute deviation stands in (scaled to MAD units, as IBM's modified z does). Either is
 * raised to a caller-given floor, the smallest spread that means anything in the series'
 * unit (1 execution, 1 point of failure rate), so z stays finite on a constant baseline
 * and a near-constant one does not turn noise into huge scores.
 */
export const MAD_Z = 0.6745;
/** √(π/2)·0.6745: mean absolute deviation → MAD of the same normal distribution. */
const MEAN_AD_TO_MAD = 1.2533 * MAD_Z;

export interface RobustBaseline {
  median: number;
  mad: number;
  meanAd: number;
  /** Points it was computed from. */
  n: number;
}

/** Median of an already sorted array. */
function middle(s: Float64Array): number {
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

// Float64Array sorts numerically without a comparator: several times faster than
// Array#sort, which matters at one baseline per hour over a 90-day range.
export function median(values: ArrayLike<number>): number {
  return middle(Float64Array.from(values).sort());
}

function baselineOfSorted(sorted: Float64Array): RobustBaseline {
  const m = middle(sorted);
  const deviations = sorted.map((v) => Math.abs(v - m)).sort();
  return {
    median: m,
    mad: middle(deviations),
    meanAd: deviations.reduce((a, b) => a + b, 0) / sorted.length,
    n: sorted.length,
  };
}

/** Median, MAD and mean absolute deviation around the median; null without values. */
export function robustBaseline(values: ArrayLike<number>): RobustBaseline | null {
  return values.length === 0 ? null : baselineOfSorted(Float64Array.from(values).sort());
}

/** Where the MAD of a score came from. */
export type MadSource = "mad" | "mean-deviation" | "floor";

/** The MAD a z-score divides by: MAD, else the scaled mean absolute deviation; at least `floor`. */
export function effectiveMad(b: RobustBaseline, floor: number): { mad: number; source: MadSource } {
  const [mad, source]: [number, MadSource] = b.mad > 0 ? [b.mad, "mad"] : [b.meanAd * MEAN_AD_TO_MAD, "mean-deviation"];
  return mad >= floor ? { mad, source } : { mad: floor, source: "floor" };
}

/** 0.6745·(x − median)/MAD, with the fallbacks of `effectiveMad`. */
export function robustZ(x: number, b: RobustBaseline, floor: number): number {
  return (MAD_Z * (x - b.median)) / effectiveMad(b, floor).mad;
}

export interface BaselineOptions {
  /** Baseline points per judged point. */
  window: number;
  /** Distance between baseline points: 1 = the trailing points, 24 = same hour on earlier days. */
  stride?: number;
  /** Fewer non-null baseline points than this: the point is not judged. */
  minBaseline: number;
  /** MAD used when the baseline is constant; in the series' unit. */
  madFloor: number;
  /** Judge only indexes in [from, to); earlier points still serve as baseline. */
  from?: number;
  to?: number;
}

/** The sorted baseline points of `values[i]`; null values (no data) are skipped, not zeros. */
function windowPoints(values: ReadonlyArray<number | null>, i: number, opts: BaselineOptions): Float64Array | null {
  const stride = opts.stride ?? 1;
  const points = new Float64Array(opts.window);
  let n = 0;
  for (let k = 1; k <= opts.window && i - k * stride >= 0; k++) {
    const v = values[i - k * stride];
    if (v !== null && v !== undefined) points[n++] = v;
  }
  return n >= opts.minBaseline ? points.subarray(0, n).sort() : null;
}

/** The baseline of `values[i]`; null when it has fewer than `minBaseline` known points. */
export function baselineAt(
  values: ReadonlyArray<number | null>,
  i: number,
  opts: BaselineOptions,
): RobustBaseline | null {
  const points = windowPoints(values, i, opts);
  return points ? baselineOfSorted(points) : null;
}

export interface Outlier {
  index: number;
  value: number;
  baseline: RobustBaseline;
  /** The MAD z was computed with (see effectiveMad). */
  mad: number;
  madSource: MadSource;
  z: number;
  direction: "high" | "low";
}

export interface OutlierOptions extends BaselineOptions {
  /** |z| at or above which a point is an outlier (3.5). */
  threshold: number;
  /** And |x − median| at least this, so tiny counts on a quiet baseline do not fire. */
  minDeviation: number;
  /** "high" ignores drops (failure rates: fewer failures is not an incident). */
  direction: "both" | "high";
}

/** Points whose robust z against their own trailing baseline passes the threshold. */
export function findOutliers(values: ReadonlyArray<number | null>, opts: OutlierOptions): Outlier[] {
  const out: Outlier[] = [];
  for (let i = opts.from ?? 0; i < (opts.to ?? values.length); i++) {
    const value = values[i];
    if (value === null || value === undefined) continue;
    const points = windowPoints(values, i, opts);
    if (!points) continue;
    // The cheap test first: most points are within minDeviation of the median, and need no MAD.
    const deviation = value - middle(points);
    if (Math.abs(deviation) < opts.minDeviation || (opts.direction === "high" && deviation < 0)) continue;
    const baseline = baselineOfSorted(points);
    const z = robustZ(value, baseline, opts.madFloor);
    const direction = z >= 0 ? "high" : "low";
    if (Math.abs(z) >= opts.threshold) {
      const scale = effectiveMad(baseline, opts.madFloor);
      out.push({ index: i, value, baseline, mad: scale.mad, madSource: scale.source, z, direction });
    }
  }
  return out;
}

export interface BurstOptions extends BaselineOptions {
  /** A burst point exceeds median + k·MAD. */
  k: number;
  /** And exceeds the median by at least this many. */
  minExcess: number;
}

export interface BurstRun {
  /** First and last index (inclusive) of consecutive burst points. */
  startIndex: number;
  endIndex: number;
  total: number;
  peak: number;
  /** The baseline of the first point, before the burst itself enters any baseline. */
  baseline: RobustBaseline;
  mad: number;
  madSource: MadSource;
}

/** Runs of consecutive points above median + k·MAD of their trailing baseline. */
export function findBursts(values: ReadonlyArray<number | null>, opts: BurstOptions): BurstRun[] {
  const runs: BurstRun[] = [];
  let current: BurstRun | null = null;
  for (let i = opts.from ?? 0; i < (opts.to ?? values.length); i++) {
    const value = values[i];
    const points = value === null || value === undefined ? null : windowPoints(values, i, opts);
    // As in findOutliers: the MAD only for points already minExcess above the median.
    if (value === null || value === undefined || !points || value - middle(points) < opts.minExcess) {
      current = null;
      continue;
    }
    const baseline = baselineOfSorted(points);
    const scale = effectiveMad(baseline, opts.madFloor);
    if (value <= baseline.median + opts.k * scale.mad) {
      current = null;
      continue;
    }
    if (current && current.endIndex === i - 1) {
      current.endIndex = i;
      current.total += value;
      current.peak = Math.max(current.peak, value);
    } else {
      current = {
        startIndex: i,
        endIndex: i,
        total: value,
        peak: value,
        baseline,
        mad: scale.mad,
        madSource: scale.source,
      };
      runs.push(current);
    }
  }
  return runs;
}
