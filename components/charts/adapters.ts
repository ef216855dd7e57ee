/**
 * Pure adapters from API series (`{bucket, value}[]`) to Chart.js data. The one rule
 * they exist for: a bucket without data is a gap (null), never a made-up zero, so a
 * quiet night and a collection outage do not look alike. No Chart.js or DOM here, so
 * they are unit-tested in node (test/chart-adapters.test.ts).
 *
 * Buckets are the client's: days, weeks and months start at midnight in its zone (the
 * server's own arithmetic, lib/core/time-zone.ts), so the axis lines up with the rollups;
 * minutes and hours are plain UTC arithmetic, only labelled in the zone.
 */
import type { Granularity } from "@/lib/core/vocabulary";
import { MINUTE_MS, HOUR_MS } from "@/lib/core/time";
import { DEFAULT_TIME_ZONE, zoneAdd, zoneTrunc } from "@/lib/core/zone-time";

export type BucketStep = "minute" | Granularity;
export interface BucketValue {
  bucket: string;
  value: number | null;
}
export interface SeriesInput {
  key: string;
  label: string;
  points: readonly BucketValue[];
}
export interface ChartSeries {
  /** One label per bucket, the same for every dataset. */
  labels: string[];
  /** The buckets as ISO strings, for tooltips and tests. */
  buckets: string[];
  datasets: Array<{ key: string; label: string; data: Array<number | null> }>;
}

/** Past this many buckets a chart is unreadable anyway; the points are then drawn as given. */
export const MAX_FILLED_BUCKETS = 5_000;

/** The bucket that holds `ms`, as the server's date_trunc in `timeZone` (weeks start on Monday). */
export function floorBucket(ms: number, step: BucketStep, timeZone = DEFAULT_TIME_ZONE): number {
  switch (step) {
    case "minute":
      return ms - (((ms % MINUTE_MS) + MINUTE_MS) % MINUTE_MS);
    case "hour":
      return ms - (((ms % HOUR_MS) + HOUR_MS) % HOUR_MS);
    default:
      return zoneTrunc(new Date(ms), step, timeZone).getTime();
  }
}

/** The start of the bucket after the one starting at `ms`: a local day can be 23 or 25 hours long. */
export function nextBucket(ms: number, step: BucketStep, timeZone = DEFAULT_TIME_ZONE): number {
  switch (step) {
    case "minute":
      return ms + MINUTE_MS;
    case "hour":
      return ms + HOUR_MS;
    default:
      return zoneAdd(new Date(ms), step, 1, timeZone).getTime();
  }
}

/** Every bucket that overlaps [start, end), or null when there would be too many. */
export function bucketSequence(
  start: number,
  end: number,
  step: BucketStep,
  timeZone = DEFAULT_TIME_ZONE,
): number[] | null {
  const out: number[] = [];
  for (let b = floorBucket(start, step, timeZone); b < end; b = nextBucket(b, step, timeZone)) {
    if (out.length >= MAX_FILLED_BUCKETS) return null;
    out.push(b);
  }
  return out;
}

/**
 * Lines several series up on one bucket axis. The axis covers `range` when given (so
 * empty buckets at either end show as gaps too), else the first to the last bucket
 * seen. A bucket a series lacks, or holds as null, is null in its dataset.
 */
export function toChartSeries(
  series: readonly SeriesInput[],
  step: BucketStep,
  range?: { start: string; end: string },
  timeZone = DEFAULT_TIME_ZONE,
): ChartSeries {
  const floor = (bucket: string) => floorBucket(Date.parse(bucket), step, timeZone);
  const seen = series.flatMap((s) => s.points.map((p) => floor(p.bucket)));
  const finite = seen.filter(Number.isFinite);
  let axis: number[] | null = null;
  if (range) axis = bucketSequence(Date.parse(range.start), Date.parse(range.end), step, timeZone);
  else if (finite.length > 0) axis = bucketSequence(Math.min(...finite), Math.max(...finite) + 1, step, timeZone);
  // Too many buckets to fill (or an unparsable range): keep the buckets that came.
  axis ??= [...new Set(finite)].sort((a, b) => a - b);

  const datasets = series.map((s) => {
    const byBucket = new Map<number, number | null>();
    for (const p of s.points) byBucket.set(floor(p.bucket), p.value);
    return { key: s.key, label: s.label, data: axis.map((b) => byBucket.get(b) ?? null) };
  });
  return {
    labels: axis.map((b) => bucketLabel(b, step, timeZone)),
    buckets: axis.map((b) => new Date(b).toISOString()),
    datasets,
  };
}

/**
 * A count's data with empty buckets as 0: a bucket inside the range without executions
 * held none of them, which is a figure (0 runs, $0), unlike a duration or a rate there,
 * which does not exist and stays a gap.
 */
export function zeroFilled(data: ReadonlyArray<number | null>): number[] {
  return data.map((v) => v ?? 0);
}

/**
 * Whether the axis's last bucket is still filling: it ends after the range does (a range
 * up to now stops inside the current hour or day). Drawn as such, it is not a cliff.
 */
export function lastBucketIncomplete(
  buckets: readonly string[],
  step: BucketStep,
  rangeEnd: string,
  timeZone = DEFAULT_TIME_ZONE,
): boolean {
  if (buckets.length === 0) return false;
  return nextBucket(Date.parse(buckets[buckets.length - 1]), step, timeZone) > Date.parse(rangeEnd);
}

/** Picks one field of API rows as `{bucket, value}` points; absent fields become null. */
export function pointsOf<Row extends { bucket: string }>(rows: readonly Row[], field: keyof Row): BucketValue[] {
  return rows.map((r) => {
    const v = r[field];
    return { bucket: r.bucket, value: typeof v === "number" && Number.isFinite(v) ? v : null };
  });
}

const LABEL_FORMAT: Record<BucketStep, Intl.DateTimeFormatOptions> = {
  minute: { hour: "2-digit", minute: "2-digit", hourCycle: "h23" },
  hour: { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23" },
  day: { month: "short", day: "numeric" },
  week: { month: "short", day: "numeric" },
  month: { month: "short", year: "numeric" },
};

const labelFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * A bucket's label in `timeZone`, e.g. "Mar 8" for a day starting at local midnight. The
 * zone is explicit, so server and browser render the same text.
 */
export function bucketLabel(ms: number, step: BucketStep, timeZone = DEFAULT_TIME_ZONE): string {
  const key = `${step} ${timeZone}`;
  let format = labelFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", { ...LABEL_FORMAT[step], timeZone });
    labelFormats.set(key, format);
  }
  return format.format(ms);
}
