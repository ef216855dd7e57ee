/**
 * Bucket math shared by rollups and the metric queries. All buckets are UTC and match
 * Postgres `date_trunc(<granularity>, ts)` in a UTC session: weeks start on Monday.
 */
import { sql, type SQL } from "drizzle-orm";
import type { Granularity } from "@/lib/core/vocabulary";
import { HOUR_MS, DAY_MS } from "@/lib/core/time";

/**
 * Which level a bucket is computed from. Hours come from raw executions; days from hours;
 * weeks and months from days, so both survive the 90-day retention of hours and raw rows.
 */
export const CHILD_GRANULARITY: Record<Exclude<Granularity, "hour">, Granularity> = {
  day: "hour",
  week: "day",
  month: "day",
};

/** One bucket's length as a SQL interval literal. */
export function intervalSql(granularity: Granularity): SQL {
  return sql.raw(`interval '1 ${granularity}'`);
}

/** The granularity as a SQL string literal (for date_trunc and the granularity column). */
export function granularitySql(granularity: Granularity): SQL {
  return sql.raw(`'${granularity}'`);
}

/** JS `date_trunc(granularity, date)` in UTC. */
export function bucketStart(date: Date, granularity: Granularity): Date {
  const d = new Date(date.getTime());
  switch (granularity) {
    case "hour":
      d.setUTCMinutes(0, 0, 0);
      return d;
    case "day":
      d.setUTCHours(0, 0, 0, 0);
      return d;
    case "week": {
      d.setUTCHours(0, 0, 0, 0);
      const sinceMonday = (d.getUTCDay() + 6) % 7;
      return new Date(d.getTime() - sinceMonday * DAY_MS);
    }
    case "month":
      return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));
  }
}

/** The start of the bucket `n` buckets after the one holding `start`. */
export function addBuckets(start: Date, granularity: Granularity, n: number): Date {
  const b = bucketStart(start, granularity);
  switch (granularity) {
    case "hour":
      return new Date(b.getTime() + n * HOUR_MS);
    case "day":
      return new Date(b.getTime() + n * DAY_MS);
    case "week":
      return new Date(b.getTime() + n * 7 * DAY_MS);
    case "month":
      return new Date(Date.UTC(b.getUTCFullYear(), b.getUTCMonth() + n, 1));
  }
}

/** Starts of every bucket that overlaps [from, to). */
export function bucketStartsInRange(from: Date, to: Date, granularity: Granularity): Date[] {
  const out: Date[] = [];
  for (let b = bucketStart(from, granularity); b < to; b = addBuckets(b, granularity, 1)) out.push(b);
  return out;
}

/** `now - days`, the cutoff before which a retention level no longer holds rows. */
export function daysBefore(now: Date, days: number): Date {
  return new Date(now.getTime() - days * DAY_MS);
}
