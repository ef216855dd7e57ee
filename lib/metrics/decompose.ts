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
 * Buckets follow the client's calendar (lib/ingest/rollups/calendar.ts): hours are UTC,
 * days, weeks and months start at local midnight. Pure: no database.
 */
import { env } from "@/lib/core/env";
import type { Granularity } from "@/lib/core/vocabulary";
import { bucketStart, daysBefore } from "@/lib/ingest/rollups/buckets";
import { BucketCalendar } from "@/lib/ingest/rollups/calendar";

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

const later = (a: Date, b: Date) => (a > b ? a : b);
const earlier = (a: Date, b: Date) => (a < b ? a : b);

/**
 * The covering algorithm over one client's calendar: `floor` and `ceil` give where the
 * buckets of a level around an instant begin (a bucket's real start, the first hour at or
 * after its label), `label` what its row is keyed by, `held` whether retention still
 * keeps its row (rows go by label, which is never after the real start).
 */
class Cover {
  constructor(
    private readonly cal: BucketCalendar,
    private readonly h: Horizons,
  ) {}

  floor(t: Date, level: PieceLevel): Date {
    return this.cal.floor(t, level);
  }

  ceil(t: Date, level: PieceLevel): Date {
    const f = this.cal.floor(t, level);
    return f.getTime() === t.getTime() ? f : this.cal.next(f, level);
  }

  private dayHeld(t: Date): boolean {
    return this.cal.label(t, "day") >= this.h.day;
  }

  /**
   * The effective start: `t` itself when its partial hour can be read raw, else the start
   * of the finest bucket whose level holds every bucket from there up to the next coarser
   * boundary (the hours after `t` up to its day's end, the days up to its month's end).
   */
  alignStart(t: Date): Date {
    if (!this.dayHeld(t)) return this.floor(t, "month");
    if (this.floor(t, "hour") < this.h.hour) return this.floor(t, "day");
    if (t >= this.h.raw) return t;
    return this.floor(t, "hour");
  }

  /**
   * The effective end, by the same rule read backwards: the hours before `t` start at its
   * day's start (or at `from`, the range's effective start, when later), the days before
   * it at its month's start (or `from`); so those must still be held.
   */
  alignEnd(t: Date, from: Date): Date {
    const last = new Date(t.getTime() - 1);
    if (!this.dayHeld(later(this.floor(last, "month"), from))) return this.cal.next(this.floor(last, "month"), "month");
    if (later(this.floor(last, "day"), from) < this.h.hour) return this.cal.next(this.floor(last, "day"), "day");
    if (this.floor(t, "hour") >= this.h.raw) return t;
    return this.ceil(t, "hour");
  }

  /** Whole buckets of `level` in [from, to) (both on its boundaries). */
  private buckets(from: Date, to: Date, level: PieceLevel, out: Piece[]): void {
    for (let b = from; b < to; b = this.cal.next(b, level))
      out.push({ kind: "bucket", level, start: this.cal.label(b, level) });
  }

  /** Covers the hour-aligned [from, to) with whole days where they fit, hours around them. */
  private days(from: Date, to: Date, out: Piece[]): void {
    const firstDay = this.ceil(from, "day");
    const lastDay = this.floor(to, "day");
    if (firstDay >= lastDay) return this.buckets(from, to, "hour", out);
    this.buckets(from, firstDay, "hour", out);
    this.buckets(firstDay, lastDay, "day", out);
    this.buckets(lastDay, to, "hour", out);
  }

  /** Covers the hour-aligned [from, to) with whole months where they fit, days and hours around them. */
  private aligned(from: Date, to: Date, out: Piece[]): void {
    const firstMonth = this.ceil(from, "month");
    const lastMonth = this.floor(to, "month");
    if (firstMonth >= lastMonth) return this.days(from, to, out);
    this.days(from, firstMonth, out);
    this.buckets(firstMonth, lastMonth, "month", out);
    this.days(lastMonth, to, out);
  }

  /** Covers [from, to), raw at the unaligned edges. Both must come from alignStart/alignEnd. */
  cover(from: Date, to: Date, out: Piece[]): void {
    if (from >= to) return;
    const inner = this.ceil(from, "hour");
    const innerEnd = this.floor(to, "hour");
    if (inner >= innerEnd) {
      // No whole hour inside: within one hour, or across one boundary.
      out.push({ kind: "raw", from, to });
      return;
    }
    if (inner > from) out.push({ kind: "raw", from, to: inner });
    this.aligned(inner, innerEnd, out);
    if (to > innerEnd) out.push({ kind: "raw", from: innerEnd, to });
  }

  decompose(start: Date, end: Date): Decomposition {
    const from = this.alignStart(start);
    const to = this.alignEnd(end, from);
    const pieces: Piece[] = [];
    this.cover(from, to, pieces);
    return { start: from, end: to, pieces };
  }
}

/** The pieces that answer [start, end) exactly, or the widened range retention allows. */
export function decompose(
  start: Date,
  end: Date,
  horizons: Horizons,
  calendar: BucketCalendar = BucketCalendar.UTC,
): Decomposition {
  return new Cover(calendar, horizons).decompose(start, end);
}

/**
 * The period of the same length just before a decomposed range, ending where the range's
 * effective start is, so the two never share a bucket when retention widened that edge.
 */
export function decomposePrevious(
  current: Decomposition,
  horizons: Horizons,
  calendar: BucketCalendar = BucketCalendar.UTC,
): Decomposition {
  const length = current.end.getTime() - current.start.getTime();
  return decompose(new Date(current.start.getTime() - length), current.start, horizons, calendar);
}

export interface BucketDecomposition extends Decomposition {
  /** The bucket's label (its bucket_start: local midnight for days), also when the range clips it. */
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
  calendar: BucketCalendar = BucketCalendar.UTC,
): { range: Decomposition; buckets: BucketDecomposition[] } {
  const cover = new Cover(calendar, horizons);
  const range = cover.decompose(start, end);
  const buckets = calendar.labelsInRange(range.start, range.end, granularity).map((bucket) => {
    const from = later(calendar.start(bucket), range.start);
    const to = earlier(calendar.start(calendar.nextLabel(bucket, granularity)), range.end);
    const pieces: Piece[] = [];
    cover.cover(from, to, pieces);
    return { bucket, start: from, end: to, pieces };
  });
  return { range, buckets };
}

const pieceKeys = new WeakMap<Piece, string>();

/**
 * A stable identity of a piece, to read each once however many answers use it. Kept per
 * piece object: a per-workflow answer looks each piece up once per workflow.
 */
export function pieceKey(p: Piece): string {
  let key = pieceKeys.get(p);
  if (key === undefined) {
    key =
      p.kind === "raw" ? `raw:${p.from.toISOString()}/${p.to.toISOString()}` : `${p.level}:${p.start.toISOString()}`;
    pieceKeys.set(p, key);
  }
  return key;
}
