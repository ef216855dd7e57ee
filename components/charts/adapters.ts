/**
 * Pure adapters from API series (`{bucket, value}[]`) to Chart.js data. The one rule
 * they exist for: a bucket without data is a gap (null), never a made-up zero, so a
 * quiet night and a collection outage do not look alike. No Chart.js or DOM here, so
 * they are unit-tested in node (test/chart-adapters.test.ts).
 */
import type { Granularity } from "@/lib/core/vocabulary";
import { MINUTE_MS, HOUR_MS, DAY_MS } from "@/lib/core/time";

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

/** The UTC bucket that holds `ms`, as date_trunc does (weeks start on Monday). */
export function floorBucket(ms: number, step: BucketStep): number {
  const d = new Date(ms);
  switch (step) {
    case "minute":
      return ms - (((ms % MINUTE_MS) + MINUTE_MS) % MINUTE_MS);
    case "hour":
      return ms - (((ms % HOUR_MS) + HOUR_MS) % HOUR_MS);
    case "day":
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
    case "week": {
      const day = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
      return day - ((d.getUTCDay() + 6) % 7) * DAY_MS;
    }
    case "month":
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  }
}

export function nextBucket(ms: number, step: BucketStep): number {
  if (step === "month") {
    const d = new Date(ms);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  }
  const size = { minute: MINUTE_MS, hour: HOUR_MS, day: DAY_MS, week: 7 * DAY_MS }[step];
  return ms + size;
}

/** Every bucket that overlaps [start, end), or null when there would be too many. */
export function bucketSequence(start: number, end: number, step: BucketStep): number[] | null {
  const out: number[] = [];
  for (let b = floorBucket(start, step); b < end; b = nextBucket(b, step)) {
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
): ChartSeries {
  const seen = series.flatMap((s) => s.points.map((p) => floorBucket(Date.parse(p.bucket), step)));
  const finite = seen.filter(Number.isFinite);
  let axis: number[] | null = null;
  if (range) axis = bucketSequence(Date.parse(range.start), Date.parse(range.end), step);
  else if (finite.length > 0) axis = bucketSequence(Math.min(...finite), Math.max(...finite) + 1, step);
  // Too many buckets to fill (or an unparsable range): keep the buckets that came.
  axis ??= [...new Set(finite)].sort((a, b) => a - b);

  const datasets = series.map((s) => {
    const byBucket = new Map<number, number | null>();
    for (const p of s.points) byBucket.set(floorBucket(Date.parse(p.bucket), step), p.value);
    return { key: s.key, label: s.label, data: axis.map((b) => byBucket.get(b) ?? null) };
  });
  return {
    labels: axis.map((b) => bucketLabel(b, step)),
    buckets: axis.map((b) => new Date(b).toISOString()),
    datasets,
  };
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

/** Buckets are UTC, and so are their labels: server and browser render the same text. */
export function bucketLabel(ms: number, step: BucketStep): string {
  return new Intl.DateTimeFormat("en-US", { ...LABEL_FORMAT[step], timeZone: "UTC" }).format(ms);
}
