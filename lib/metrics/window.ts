/**
 * Which rollup buckets answer a range. A range [start, end) is answered by every bucket
 * of the client's calendar that overlaps it: those labelled from the bucket holding
 * `start` up to `end`.
 */
import type { Granularity } from "@/lib/core/vocabulary";
import { env } from "@/lib/core/env";
import { daysBefore } from "@/lib/ingest/rollups/buckets";
import { BucketCalendar } from "@/lib/ingest/rollups/calendar";
import { resolveRange, type RangeParams, type ResolvedRange, type Timeframe } from "./range";
import type { Period } from "./types";
import { DAY_MS } from "@/lib/core/time";

export interface BucketWindow {
  /** Start (label) of the first bucket, or where a raw window starts. */
  from: Date;
  /** Label of the bucket after the last (exclusive), or where a raw window ends. */
  to: Date;
}

/** The labels of the range's buckets at `granularity`, with the end rounded up to a bucket. */
export function bucketWindow(
  range: Pick<ResolvedRange, "start" | "end">,
  granularity: Granularity,
  calendar: BucketCalendar = BucketCalendar.UTC,
): BucketWindow {
  const from = calendar.label(range.start, granularity);
  const last = calendar.label(range.end, granularity);
  const to = calendar.start(last).getTime() === range.end.getTime() ? last : calendar.nextLabel(last, granularity);
  return { from, to };
}

export function period(start: Date, end: Date): Period {
  return {
    start: start.toISOString(),
    end: end.toISOString(),
    days: Math.round(((end.getTime() - start.getTime()) / DAY_MS) * 1000) / 1000,
  };
}

/** What the lib functions accept as a range: already resolved, or query-style params. */
export type RangeInput = ResolvedRange | Partial<RangeParams>;

/** Default range of the metrics endpoints when neither timeframe nor start/end is given. */
export const DEFAULT_TIMEFRAME: Timeframe = "7d";

/**
 * resolveRange with the metrics defaults (7 days), and with retention in mind: an
 * automatic source that no longer holds the range (hour rows are kept 90 days, day rows
 * 2 years) moves to the next level that does, so an old range is not answered empty.
 * The previous period counts too, so both sides of a comparison come from one level.
 * An explicit `source` is obeyed as given. Pages resolve their searchParams with this.
 * Relative ranges end at the current second, so repeated requests share an answer.
 */
export function resolveMetricsRange(params: Partial<RangeParams>, now: Date = new Date()): ResolvedRange {
  const source = params.source ?? "auto";
  // A relative range ends at the current second: requests within it share one cached
  // answer (cache.ts), which states that range.
  const second = new Date(Math.floor(now.getTime() / 1000) * 1000);
  const range = resolveRange({ ...params, source }, second, DEFAULT_TIMEFRAME);
  if (source !== "auto") return range;
  let granularity = range.granularity;
  const oldest = range.previous.start;
  if (granularity === "hour" && oldest < daysBefore(now, env.RETENTION_HOURLY_DAYS)) granularity = "day";
  if (granularity === "day" && oldest < daysBefore(now, env.RETENTION_DAILY_DAYS)) granularity = "month";
  return { ...range, granularity };
}

export function toResolvedRange(range: RangeInput, now: Date = new Date()): ResolvedRange {
  if ("granularity" in range && "previous" in range) return range;
  return resolveMetricsRange(range as Partial<RangeParams>, now);
}
