/**
 * Bucket math shared by rollups and the metric queries. Hour buckets are UTC hours; a
 * client's day, week (from Monday) and month buckets are in its zone (calendar.ts), and
 * the SQL here reads that zone from the client_zone_spans view. `bucketStart` and
 * `addBuckets` are the UTC calendar, Postgres's `date_trunc(<granularity>, ts)` in a UTC
 * session.
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

/**
 * Joins, as `z`, the zone span of client `clientId` that holds `time` (an hour or bucket
 * start): the zone its buckets are in (calendar.ts). One span per client unless its zone
 * changed, so the join stays a hash lookup on client_id.
 */
export function zoneSpanJoin(clientId: SQL, time: SQL): SQL {
  return sql`join client_zone_spans z on z.client_id = ${clientId} and ${time} >= z.starts and ${time} < z.ends`;
}

/**
 * SQL twin of `BucketCalendar.label`: the start of the `granularity` bucket holding the
 * hour or bucket starting at `time`, in the span joined as `z` (zoneSpanJoin).
 */
export function bucketStartSql(granularity: Granularity, time: SQL): SQL {
  if (granularity === "hour") return sql`date_trunc('hour', ${time})`;
  return sql`greatest(date_trunc(${granularitySql(granularity)}, ${time}, z.time_zone), z.starts)`;
}

/**
 * SQL twin of `BucketCalendar.nextLabel`: where the `granularity` bucket starting at
 * `start` ends (its children start before it), in the span joined as `z`.
 */
export function bucketEndSql(granularity: Granularity, start: SQL): SQL {
  if (granularity === "hour") return sql`${start} + interval '1 hour'`;
  return sql`least((date_trunc(${granularitySql(granularity)}, ${start}, z.time_zone) at time zone z.time_zone
    + ${intervalSql(granularity)}) at time zone z.time_zone, z.ends)`;
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
