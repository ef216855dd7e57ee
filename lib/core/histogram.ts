/**
 * Sparse, mergeable latency histogram (DDSketch-style log buckets).
 *
 * A duration of `ms` > 0 falls in bucket `ceil(log_gamma(ms))`, gamma = (1 + a) / (1 - a)
 * with relative accuracy a = 1%: every value in bucket i lies in (gamma^(i-1), gamma^i] and
 * the bucket's representative is within 1% of it. 0 ms (and negative durations from clock
 * skew) go to the special key "z". In the app a histogram is `{ "<index>": count }` or the
 * dense form below; merging is adding counts per bucket: exact, in SQL or here.
 *
 * Stored (latency_histogram of the rollup tables) packed: an int8[] with one element per
 * non-empty bucket, `slot * 2^32 + count`, in ascending order, where slot 0 is the 0 ms
 * bucket and slot `index + SLOT_OFFSET` the others. Merging in SQL is unnesting the
 * elements and adding counts per slot (rollups/merge.ts): integer arithmetic, several
 * times cheaper than unpacking jsonb keys. A dense array with an offset was measured ten
 * times slower to merge in SQL: a few executions spread over hundreds of empty buckets.
 *
 * Pure: no database. The same slot is computed in SQL (compute.ts `latencySlotSql`) to
 * build hourly buckets; both use ln(ms) / LN_GAMMA with the same float8 constant, and a
 * test checks they agree.
 */
export type LatencyHistogram = Record<string, number>;

export const HISTOGRAM_ALPHA = 0.01;
export const HISTOGRAM_GAMMA = (1 + HISTOGRAM_ALPHA) / (1 - HISTOGRAM_ALPHA);
export const LN_GAMMA = Math.log(HISTOGRAM_GAMMA);
/** Key of the 0 ms bucket. */
export const ZERO_KEY = "z";

/** Packed element = slot * PACK_BASE + count; counts stay below 2^32. */
export const PACK_BASE = 2 ** 32;
/** Slot of bucket index i is i + SLOT_OFFSET (indexes of durations from 2^-40 ms up); 0 is the 0 ms bucket. */
export const SLOT_OFFSET = 2048;

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

/** The stored slot of a duration (see the header). */
export function latencyBucketSlot(ms: number): number {
  const index = latencyBucketIndex(ms);
  return index === null ? 0 : index + SLOT_OFFSET;
}

/** Bucket `key` of a stored slot, for code that merges per slot in SQL. */
export function slotKey(slot: number): string {
  return slot === 0 ? ZERO_KEY : String(slot - SLOT_OFFSET);
}
const slotOfKey = (key: string) => (key === ZERO_KEY ? 0 : Number(key) + SLOT_OFFSET);
const slotOf = (element: number) => Math.floor(element / PACK_BASE);
const countOf = (element: number) => element % PACK_BASE;

/** The stored form of a histogram. */
export function packHistogram(h: LatencyHistogram | null | undefined): number[] {
  if (!h) return [];
  return Object.entries(h)
    .filter(([, count]) => Number(count) > 0)
    .map(([key, count]) => slotOfKey(key) * PACK_BASE + Number(count))
    .sort((a, b) => a - b);
}

/**
 * The elements of a stored histogram as the drivers return them: postgres.js gives
 * int8[] as an array of strings, PGlite as numbers or bigints, and either may give the
 * array literal `{...}` as text.
 */
function packedElements(packed: unknown): number[] {
  if (packed === null || packed === undefined) return [];
  if (typeof packed === "string") {
    const inner = packed.replace(/^\{|\}$/g, "");
    return inner === "" ? [] : inner.split(",").map(Number);
  }
  return (packed as unknown[]).map((v) => Number(v));
}

/** `{ "<index>": count }` of a stored histogram. */
export function unpackHistogram(packed: unknown): LatencyHistogram {
  const out: LatencyHistogram = {};
  for (const v of packedElements(packed)) out[slotKey(slotOf(v))] = countOf(v);
  return out;
}

/** Representatives of the slots stored histograms use, computed once: percentiles read thousands per answer. */
const REPRESENTATIVES = new Float64Array(2 * SLOT_OFFSET);
for (let slot = 1; slot < REPRESENTATIVES.length; slot++) {
  REPRESENTATIVES[slot] = (2 * Math.pow(HISTOGRAM_GAMMA, slot - SLOT_OFFSET)) / (HISTOGRAM_GAMMA + 1);
}

/** Value that stands for a bucket: 2 gamma^i / (gamma + 1), within alpha of every member. */
export function bucketRepresentative(index: number | string): number {
  if (index === ZERO_KEY) return 0;
  const i = typeof index === "number" ? index : Number(index);
  const slot = i + SLOT_OFFSET;
  if (Number.isInteger(i) && slot > 0 && slot < REPRESENTATIVES.length) return REPRESENTATIVES[slot];
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

/**
 * The same histogram in a dense form for merging many in the app: `counts[i]` is the
 * count of bucket index `offset + i`, `zero` that of the 0 ms bucket. Merging is
 * element-wise addition, and percentiles walk the array in order, with no key parsing
 * or sorting: what a range of a hundred bucket rows costs per request.
 */
export interface DenseHistogram {
  zero: number;
  offset: number;
  counts: number[];
}

/**
 * A histogram as its non-empty buckets only: bucket indexes ascending with their counts,
 * the 0 ms bucket apart. What a stored row decodes to: adding it into a dense sum costs
 * its few buckets, not the span between its fastest and slowest run.
 */
export interface SparseHistogram {
  zero: number;
  indexes: number[];
  counts: number[];
}

/** Either form; sums (addDense) are always dense. */
export type BucketCounts = DenseHistogram | SparseHistogram;

const isSparse = (h: BucketCounts): h is SparseHistogram => "indexes" in h;

export function emptyDense(): DenseHistogram {
  return { zero: 0, offset: 0, counts: [] };
}

export function toDense(h: LatencyHistogram | null | undefined): DenseHistogram {
  const out = emptyDense();
  if (!h) return out;
  let lo = Infinity;
  let hi = -Infinity;
  for (const key of Object.keys(h)) {
    if (key === ZERO_KEY) continue;
    const i = Number(key);
    if (i < lo) lo = i;
    if (i > hi) hi = i;
  }
  out.zero = Number(h[ZERO_KEY] ?? 0);
  if (lo === Infinity) return out;
  out.offset = lo;
  out.counts = new Array<number>(hi - lo + 1).fill(0);
  for (const [key, count] of Object.entries(h)) if (key !== ZERO_KEY) out.counts[Number(key) - lo] = Number(count);
  return out;
}

/** The sparse form of a stored histogram (elements in slot order, as stored). */
export function sparseFromPacked(packed: unknown): SparseHistogram {
  const out: SparseHistogram = { zero: 0, indexes: [], counts: [] };
  const elements = packedElements(packed);
  // Stored in slot order; sorted anyway if a hand-written one is not.
  if (elements.some((v, i) => i > 0 && v < elements[i - 1])) elements.sort((a, b) => a - b);
  for (const v of elements) {
    const slot = slotOf(v);
    if (slot === 0) out.zero += countOf(v);
    else if (out.indexes.length > 0 && out.indexes[out.indexes.length - 1] === slot - SLOT_OFFSET)
      out.counts[out.counts.length - 1] += countOf(v);
    else {
      out.indexes.push(slot - SLOT_OFFSET);
      out.counts.push(countOf(v));
    }
  }
  return out;
}

export function denseFromDurations(durations: Iterable<number>): DenseHistogram {
  return toDense(histogramFromDurations(durations));
}

/** Buckets added on each side when an accumulated dense histogram must widen. */
const WIDEN_MARGIN = 64;

/**
 * Makes `into` span bucket indexes [lo, hi), with room to spare: the rows of a range sit
 * at slightly different places, and widening to fit each exactly copied the array again
 * and again.
 */
function widen(into: DenseHistogram, lo: number, hi: number): void {
  const end = into.offset + into.counts.length;
  if (into.counts.length > 0 && lo >= into.offset && hi <= end) return;
  const from = into.counts.length === 0 ? lo - WIDEN_MARGIN : Math.min(into.offset, lo - WIDEN_MARGIN);
  const to = into.counts.length === 0 ? hi + WIDEN_MARGIN : Math.max(end, hi + WIDEN_MARGIN);
  const widened = new Array<number>(to - from).fill(0);
  for (let i = 0; i < into.counts.length; i++) widened[into.offset - from + i] = into.counts[i];
  into.offset = from;
  into.counts = widened;
}

/** Adds `from` (either form) into `into` bucket by bucket, widening `into` as needed; returns `into`. */
export function addDense(into: DenseHistogram, from: BucketCounts): DenseHistogram {
  into.zero += from.zero;
  if (from.counts.length === 0) return into;
  if (isSparse(from)) {
    widen(into, from.indexes[0], from.indexes[from.indexes.length - 1] + 1);
    for (let i = 0; i < from.indexes.length; i++) into.counts[from.indexes[i] - into.offset] += from.counts[i];
    return into;
  }
  widen(into, from.offset, from.offset + from.counts.length);
  const shift = from.offset - into.offset;
  for (let i = 0; i < from.counts.length; i++) into.counts[shift + i] += from.counts[i];
  return into;
}

/** Bucket index of a histogram's i-th count, in either form. */
const indexAt = (h: BucketCounts, i: number) => (isSparse(h) ? h.indexes[i] : h.offset + i);

/** Each (representative value, count) in ascending order, the zero bucket first. */
export function* denseEntries(h: BucketCounts): Generator<[number, number]> {
  if (h.zero > 0) yield [0, h.zero];
  for (let i = 0; i < h.counts.length; i++)
    if (h.counts[i] > 0) yield [bucketRepresentative(indexAt(h, i)), h.counts[i]];
}

/** Quantiles (each in 0..1) like `histogramPercentile`, in one walk; nulls when empty. */
export function denseQuantiles(h: BucketCounts | null | undefined, qs: number[]): Array<number | null> {
  if (!h) return qs.map(() => null);
  let n = h.zero;
  for (let i = 0; i < h.counts.length; i++) n += h.counts[i];
  if (n === 0) return qs.map(() => null);
  // The ranks asked for, each read at floor and ceil of q(n-1), then interpolated.
  const ranks = qs.map((q) => Math.min(Math.max(q, 0), 1) * (n - 1));
  const wanted = [...new Set(ranks.flatMap((r) => [Math.floor(r), Math.ceil(r)]))].sort((a, b) => a - b);
  const valueAt = new Map<number, number>();
  let seen = h.zero;
  let w = 0;
  while (w < wanted.length && wanted[w] < seen) valueAt.set(wanted[w++], 0);
  for (let i = 0; i < h.counts.length && w < wanted.length; i++) {
    if (h.counts[i] === 0) continue;
    seen += h.counts[i];
    const value = bucketRepresentative(indexAt(h, i));
    while (w < wanted.length && wanted[w] < seen) valueAt.set(wanted[w++], value);
  }
  return ranks.map((r) => {
    const low = valueAt.get(Math.floor(r)) ?? 0;
    const high = valueAt.get(Math.ceil(r)) ?? low;
    return low + (r - Math.floor(r)) * (high - low);
  });
}

export function densePercentiles(h: BucketCounts | null | undefined): Percentiles {
  const [p50, p75, p90, p95, p99] = denseQuantiles(h, [0.5, 0.75, 0.9, 0.95, 0.99]);
  return { p50, p75, p90, p95, p99 };
}
