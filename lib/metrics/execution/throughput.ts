import { isoTimeOrNull, num, ts } from "@/lib/db/database";
import { compare, pct, round } from "@/lib/metrics/compare";
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "@/lib/db/database";
import type { Granularity } from "@/lib/core/vocabulary";
import { bucketStartSql, zoneSpanJoin } from "@/lib/ingest/rollups/buckets";
import {
  rangeWindow,
  loadClient,
  rangeInfo,
  rollupsIn,
  withinHourlyRetention,
  type SectionQuery,
  sectionCalendar,
} from "./context";
import { decomposePrevious, decomposeSeries, horizonsAt } from "@/lib/metrics/decompose";
import { readPieces } from "@/lib/metrics/read-pieces";
import type { MinutePoint, ThroughputMetrics, ThroughputPoint } from "./types";
import { MINUTE_MS, HOUR_MS, DAY_MS } from "@/lib/core/time";

/** Per-minute detail is read from raw executions, so only for short ranges. */
export const MINUTE_DETAIL_MAX_MS = 6 * HOUR_MS;

interface BucketRow {
  bucket: Date | string;
  executions: number | string;
}

/**
 * The client's concurrency per bucket. The rollups keep each workflow's peak per bucket;
 * summed over workflows that is an upper bound of the client's (the peaks may not
 * coincide). Taken per hour and then the max per bucket while hourly rollups exist, since
 * summing daily peaks would loosen the bound further.
 */
function capacitySql(clientId: number, granularity: Granularity, from: Date, to: Date, hourly: boolean) {
  const level: Granularity = hourly ? "hour" : granularity;
  return sql`select ${bucketStartSql(granularity, sql`h.bucket_start`)} as bucket, max(h.peak) as peak
    from (select r.bucket_start, sum(r.peak_concurrency) as peak from rollups r
      where ${rollupsIn(clientId, level, { from, to })} group by r.bucket_start) h
      ${zoneSpanJoin(sql`${clientId}::int`, sql`h.bucket_start`)}
    group by 1`;
}

/** Raw executions per minute; only for ranges up to MINUTE_DETAIL_MAX_MS. */
async function minuteCounts(db: Db, clientId: number, start: Date, end: Date): Promise<MinutePoint[]> {
  const rows = await queryRows<BucketRow>(
    db,
    sql`select date_trunc('minute', e.started_at) as bucket, count(*)::int as executions from executions e
      where e.client_id = ${clientId} and e.is_production
        and e.started_at >= ${ts(start)} and e.started_at < ${ts(end)}
      group by 1`,
  );
  const byMinute = new Map(rows.map((r) => [isoTimeOrNull(r.bucket), num(r.executions)]));
  const out: MinutePoint[] = [];
  for (let t = Math.floor(start.getTime() / MINUTE_MS) * MINUTE_MS; t < end.getTime(); t += MINUTE_MS) {
    const minute = new Date(t).toISOString();
    out.push({ minute, executions: byMinute.get(minute) ?? null });
  }
  return out;
}

/**
 * Executions per minute, hour and day over the range, the series at the range's
 * granularity with its peak, and capacity use against the client's concurrency limit.
 * Averages divide by the time the range covers, up to now. Counts are exact at the
 * range's edges; capacity comes from hour rows (whole hours).
 */
export async function getThroughputMetrics(db: Db, query: SectionQuery): Promise<ThroughputMetrics> {
  const { clientId, range } = query;
  const now = query.now ?? new Date();
  const g = range.granularity;
  const calendar = await sectionCalendar(db, query);
  const window = rangeWindow(range, g, calendar);
  const short = range.end.getTime() - range.start.getTime() <= MINUTE_DETAIL_MAX_MS;
  const hourly = withinHourlyRetention(range.start, now);
  // Counts of the range and the previous period, exact at their edges (decompose.ts).
  const horizons = horizonsAt(now);
  const decomposed = decomposeSeries(range.start, range.end, g, horizons, calendar);
  const previous = decomposePrevious(decomposed.range, horizons, calendar);

  const [client, pieces, capacityRows, minutes] = await Promise.all([
    query.client ?? loadClient(db, clientId),
    readPieces(db, [clientId], [decomposed.range, ...decomposed.buckets, previous]),
    queryRows<{ bucket: Date | string; peak: number | string }>(
      db,
      capacitySql(clientId, g, window.from, window.to, hourly),
    ),
    short ? minuteCounts(db, clientId, range.start, range.end) : Promise.resolve(null),
  ]);

  const peaks = new Map(capacityRows.map((r) => [isoTimeOrNull(r.bucket), num(r.peak)]));
  const limit = Math.max(1, client.concurrencyLimit);
  const series: ThroughputPoint[] = decomposed.buckets.map((b) => {
    const bucket = b.bucket.toISOString();
    const peakConcurrency = peaks.get(bucket) ?? null;
    return {
      bucket,
      executions: pieces.tally(b, clientId)?.total ?? null,
      peakConcurrency,
      capacityPct: peakConcurrency === null ? null : pct(peakConcurrency, limit),
    };
  });

  // From the range itself: a series of hours past hourly retention has no points to sum.
  const total = pieces.tally(decomposed.range, clientId)?.total ?? 0;
  const from = decomposed.range.start.getTime();
  const coveredMs = Math.min(decomposed.range.end.getTime(), Math.max(now.getTime(), from)) - from;
  const per = (ms: number) => (coveredMs > 0 ? round((total * ms) / coveredMs, 4) : null);

  const busiest = maxBy(series, (p) => p.executions);
  const busiestMinute = minutes ? maxBy(minutes, (p) => p.executions) : null;
  const peakCapacity = maxBy(series, (p) => p.peakConcurrency);
  const withCapacity = series.filter((p) => p.capacityPct !== null);

  return {
    clientId,
    range: rangeInfo(range),
    total,
    comparison: compare(total, pieces.tally(previous, clientId)?.total ?? null),
    perMinute: per(MINUTE_MS),
    perHour: per(HOUR_MS),
    perDay: per(DAY_MS),
    peak: busiest ? { bucket: busiest.bucket, executions: busiest.executions ?? 0 } : null,
    peakMinute: busiestMinute ? { minute: busiestMinute.minute, executions: busiestMinute.executions ?? 0 } : null,
    series,
    minuteSeries: minutes,
    capacity: {
      concurrencyLimit: client.concurrencyLimit,
      peakConcurrency: peakCapacity?.peakConcurrency ?? null,
      peakAt: peakCapacity?.bucket ?? null,
      peakPct: peakCapacity?.capacityPct ?? null,
      avgPct: withCapacity.length
        ? round(withCapacity.reduce((a, p) => a + (p.capacityPct ?? 0), 0) / withCapacity.length)
        : null,
    },
  };
}

/** The first item with the largest non-null value; null when every value is null. */
function maxBy<T>(items: T[], value: (item: T) => number | null): T | null {
  let best: T | null = null;
  let bestValue = -Infinity;
  for (const item of items) {
    const v = value(item);
    if (v !== null && v > bestValue) {
      best = item;
      bestValue = v;
    }
  }
  return best;
}

/** CSV rows of the throughput series. */
export function throughputCsv(m: ThroughputMetrics): Array<Record<string, unknown>> {
  return m.series.map((p) => ({ ...p }));
}
