/**
 * Sparse, mergeable latency histogram (DDSketch-style log buckets).
 *
 * A duration of `ms` > 0 falls in bucket `ceil(log_gamma(ms))`, gamma = (1 + a) / (1 - a)
 * with relative accuracy a = 1%: every value in bucket i lies in (gamma^(i-1), gamma^i] and
 * the bucket's representative is within 1% of it. 0 ms (and negative durations from clock
 * skew) go to the special key "z". Stored as jsonb `{ "<index>": count }`, so merging two
 * histograms is adding counts per key: exact, in SQL or here.
 *
 * Pure: no database. The same index is computed in SQL (compute.ts `latencyKeySql`) to
 * build hourly buckets; both use ln(ms) / LN_GAMMA with the same float8 constant, and a
 * test checks they agree.
 */
export type LatencyHistogram = Record<string, number>;

export const HISTOGRAM_ALPHA = 0.01;
export const HISTOGRAM_GAMMA = (1 + HISTOGRAM_ALPHA) / (1 - HISTOGRAM_ALPHA);
export const LN_GAMMA = Math.log(HISTOGRAM_GAMMA);
/** Key of the 0 ms bucket. */
export const ZERO_KEY = "z";

/** Bucket index of a duration; null for durations <= 0 (they use ZERO_KEY). */
export function latencyBucketIndex(ms: number): number | null {
  if (!(ms > 0)) return null;
  return Math.ceil(Math.log(ms) / LN_GAMMA);
}

/** The jsonb key of a duration. */
export function latencyBucketKey(ms: number): string {
  const index = latencyBucketIndex(ms);
  return index === null ? ZERO_KEY : String(index);
}

/** Value that stands for a bucket: 2 gamma^i / (gamma + 1), within alpha of every member. */
export function bucketRepresentative(index: number | string): number {
  if (index === ZERO_KEY) return 0;
  const i = typeof index === "number" ? index : Number(index);
  return (2 * Math.pow(HISTOGRAM_GAMMA, i)) / (HISTOGRAM_GAMMA + 1);
}

/** Builds a histogram from raw durations (tests, live metrics over raw rows). */
export function histogramFromDurations(durations: Iterable<number>): LatencyHistogram {
  const out: LatencyHistogram = {};
  for (const ms of durations) {
    const key = latencyBucketKey(ms);
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}

/** Adds histograms key by key; null/undefined entries (no durations) are skipped. */
export function mergeHistograms(hs: Iterable<LatencyHistogram | null | undefined>): LatencyHistogram {
  const out: LatencyHistogram = {};
  for (const h of hs) {
    if (!h) continue;
    for (const [key, count] of Object.entries(h)) out[key] = (out[key] ?? 0) + Number(count);
  }
  return out;
}

export function histogramCount(h: LatencyHistogram | null | undefined): number {
  if (!h) return 0;
  let n = 0;
  for (const count of Object.values(h)) n += Number(count);
  return n;
}

/** Keys in ascending value order: the zero bucket first, then by index. */
function sortedEntries(h: LatencyHistogram): Array<[string, number]> {
  const rank = (key: string) => (key === ZERO_KEY ? -Infinity : Number(key));
  return Object.entries(h)
    .map(([key, count]): [string, number] => [key, Number(count)])
    .filter(([, count]) => count > 0)
    .sort((a, b) => rank(a[0]) - rank(b[0]));
}

/**
 * The q-quantile (q in 0..1), interpolated like SQL percentile_cont: the values at ranks
 * floor(q(n-1)) and ceil(q(n-1)) are each within alpha of the exact order statistics,
 * so their interpolation is within alpha of the exact percentile. Null when empty.
 */
export function histogramPercentile(h: LatencyHistogram | null | undefined, q: number): number | null {
  if (!h) return null;
  const entries = sortedEntries(h);
  const n = entries.reduce((sum, [, count]) => sum + count, 0);
  if (n === 0) return null;
  const rank = Math.min(Math.max(q, 0), 1) * (n - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  const valueAt = (r: number) => {
    let seen = 0;
    for (const [key, count] of entries) {
      seen += count;
      if (seen > r) return bucketRepresentative(key);
    }
    return bucketRepresentative(entries[entries.length - 1][0]);
  };
  const low = valueAt(lo);
  return hi === lo ? low : low + (rank - lo) * (valueAt(hi) - low);
}

export interface Percentiles {
  p50: number | null;
  p75: number | null;
  p90: number | null;
  p95: number | null;
  p99: number | null;
}

export function histogramPercentiles(h: LatencyHistogram | null | undefined): Percentiles {
  return {
    p50: histogramPercentile(h, 0.5),
    p75: histogramPercentile(h, 0.75),
    p90: histogramPercentile(h, 0.9),
    p95: histogramPercentile(h, 0.95),
    p99: histogramPercentile(h, 0.99),
  };
}
