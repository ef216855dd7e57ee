/**
 * Exact range decomposition: a range [start, end) is answered as the largest whole
 * buckets that fit (months, then days, then hours) plus the partial hours at its two
 * edges, read from raw executions. A 1 h range is then exact, and a year reads about a
 * dozen month rows and a few dozen day and hour rows.
 *
 * What retention removed cannot be read: an edge older than raw retention widens to its
 * covering hour, an hour older than hourly retention to its day, a day older than daily
 * retention to its month. The decomposition says the range it really covers.
 *
 * Pure: no database. Buckets are UTC (lib/ingest/rollups/buckets.ts).
 */
import { env } from "@/lib/core/env";
import type { Granularity } from "@/lib/core/vocabulary";
import { addBuckets, bucketStart, bucketStartsInRange, daysBefore } from "@/lib/ingest/rollups/buckets";

/** The levels a decomposition reads. Weeks straddle months, so they never fit a greedy cover. */
export type PieceLevel = "hour" | "day" | "month";

export type Piece = { kind: "raw"; from: Date; to: Date } | { kind: "bucket"; level: PieceLevel; start: Date };

/** The earliest instant from which each source still holds every row (see `horizonsAt`). */
export interface Horizons {
  raw: Date;
  hour: Date;
  day: Date;
}

export interface Decomposition {
  /** The range the pieces cover: the requested one, unless retention widened an edge. */
  start: Date;
  end: Date;
  pieces: Piece[];
}

/**
 * Where each source begins at `now`. Retention deletes raw executions hour by hour before
 * the hour of `now - RETENTION_RAW_DAYS`, hour rows before `now - RETENTION_HOURLY_DAYS`
 * and day rows before `now - RETENTION_DAILY_DAYS` (lib/ingest/rollups/retention.ts);
 * a run at an earlier time deleted less, so these are safe. Month rows are kept forever.
 */
export function horizonsAt(now: Date): Horizons {
  return {
    raw: bucketStart(daysBefore(now, env.RETENTION_RAW_DAYS), "hour"),
    hour: daysBefore(now, env.RETENTION_HOURLY_DAYS),
    day: daysBefore(now, env.RETENTION_DAILY_DAYS),
  };
}

const isAligned = (t: Date, level: PieceLevel) => bucketStart(t, level).getTime() === t.getTime();
const ceilTo = (t: Date, level: PieceLevel) => (isAligned(t, level) ? t : addBuckets(t, level, 1));
const later = (a: Date, b: Date) => (a > b ? a : b);
const earlier = (a: Date, b: Date) => (a < b ? a : b);

/**
 * The effective start: `t` itself when its partial hour can be read raw, else the start of
 * the finest bucket whose level holds every bucket from there up to the next coarser
 * boundary (the hours after `t` up to its day's end, the days up to its month's end).
 */
function alignStart(t: Date, h: Horizons): Date {
  if (bucketStart(t, "day") < h.day) return bucketStart(t, "month");
  if (bucketStart(t, "hour") < h.hour) return bucketStart(t, "day");
  if (t >= h.raw) return t;
  return bucketStart(t, "hour");
}

/**
 * The effective end, by the same rule read backwards: the hours before `t` start at its
 * day's start (or at `from`, the range's effective start, when later), the days before it
 * at its month's start (or `from`); so those must still be held.
 */
function alignEnd(t: Date, from: Date, h: Horizons): Date {
  const last = new Date(t.getTime() - 1);
  if (later(bucketStart(last, "month"), from) < h.day) return addBuckets(last, "month", 1);
  if (later(bucketStart(last, "day"), from) < h.hour) return addBuckets(last, "day", 1);
  if (bucketStart(t, "hour") >= h.raw) return t;
  return ceilTo(t, "hour");
}

/** Whole buckets of `level` in [from, to) (both aligned to it). */
function buckets(from: Date, to: Date, level: PieceLevel, out: Piece[]): void {
  for (let b = from; b < to; b = addBuckets(b, level, 1)) out.push({ kind: "bucket", level, start: b });
}

/** Covers the hour-aligned [from, to) with whole days where they fit, hours around them. */
function coverDays(from: Date, to: Date, out: Piece[]): void {
  const firstDay = ceilTo(from, "day");
  const lastDay = bucketStart(to, "day");
  if (firstDay >= lastDay) return buckets(from, to, "hour", out);
  buckets(from, firstDay, "hour", out);
  buckets(firstDay, lastDay, "day", out);
  buckets(lastDay, to, "hour", out);
}

/** Covers the hour-aligned [from, to) with whole months where they fit, days and hours around them. */
function coverAligned(from: Date, to: Date, out: Piece[]): void {
  const firstMonth = ceilTo(from, "month");
  const lastMonth = bucketStart(to, "month");
  if (firstMonth >= lastMonth) return coverDays(from, to, out);
  coverDays(from, firstMonth, out);
  buckets(firstMonth, lastMonth, "month", out);
  coverDays(lastMonth, to, out);
}

/** Covers [from, to), raw at the unaligned edges. Both must come from alignStart/alignEnd. */
function cover(from: Date, to: Date, out: Piece[]): void {
  if (from >= to) return;
  const inner = ceilTo(from, "hour");
  const innerEnd = bucketStart(to, "hour");
  if (inner >= innerEnd) {
    // No whole hour inside: within one hour, or across one boundary.
    out.push({ kind: "raw", from, to });
    return;
  }
  if (inner > from) out.push({ kind: "raw", from, to: inner });
  coverAligned(inner, innerEnd, out);
  if (to > innerEnd) out.push({ kind: "raw", from: innerEnd, to });
}

/** The pieces that answer [start, end) exactly, or the widened range retention allows. */
export function decompose(start: Date, end: Date, horizons: Horizons): Decomposition {
  const from = alignStart(start, horizons);
  const to = alignEnd(end, from, horizons);
  const pieces: Piece[] = [];
  cover(from, to, pieces);
  return { start: from, end: to, pieces };
}

/**
 * The period of the same length just before a decomposed range, ending where the range's
 * effective start is, so the two never share a bucket when retention widened that edge.
 */
export function decomposePrevious(current: Decomposition, horizons: Horizons): Decomposition {
  const length = current.end.getTime() - current.start.getTime();
  return decompose(new Date(current.start.getTime() - length), current.start, horizons);
}

export interface BucketDecomposition extends Decomposition {
  /** The bucket's own start, also when the range clips it. */
  bucket: Date;
}

/**
 * [start, end) and each of its buckets at `granularity` (a series' points), clipped to the
 * range: inside the range the buckets' edges fall on boundaries, so only the range's own
 * two edges are read raw.
 */
export function decomposeSeries(
  start: Date,
  end: Date,
  granularity: Granularity,
  horizons: Horizons,
): { range: Decomposition; buckets: BucketDecomposition[] } {
  const range = decompose(start, end, horizons);
  const buckets = bucketStartsInRange(range.start, range.end, granularity).map((bucket) => {
    const from = later(bucket, range.start);
    const to = earlier(addBuckets(bucket, granularity, 1), range.end);
    const pieces: Piece[] = [];
    cover(from, to, pieces);
    return { bucket, start: from, end: to, pieces };
  });
  return { range, buckets };
}

/** A stable identity of a piece, to read each once however many answers use it. */
export function pieceKey(p: Piece): string {
  return p.kind === "raw" ? `raw:${p.from.toISOString()}/${p.to.toISOString()}` : `${p.level}:${p.start.toISOString()}`;
}
