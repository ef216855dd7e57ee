import { pct } from "@/lib/metrics/compare";
import { isoTimeOrNull, num, ts } from "@/lib/db/database";
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "@/lib/db/database";
import { bucketStart, bucketStartsInRange } from "@/lib/ingest/rollups/buckets";
import { rangeWindow, loadClient, rangeInfo, rollupsIn, type SectionQuery, sectionCalendar } from "./context";
import { findBursts, findOutliers, type BaselineOptions } from "./detect";
import type { BaselineKind } from "./types";
import { burstReason, failureRateReason, volumeReason } from "./pattern-reasons";
import { getFreshness } from "./realtime";
import type { Anomaly, Burst, PatternMetrics, TimelinePoint } from "./types";
import { MINUTE_MS, HOUR_MS } from "@/lib/core/time";

/** Tuning of the detectors; see detect.ts for what each knob means. */
export const PATTERN_SETTINGS = {
  /** Anomalies: a week of hours behind each hour, or the same hour on the 7 days before. */
  trailing: { window: 168, stride: 1, minBaseline: 24 },
  hourOfDay: { window: 7, stride: 24, minBaseline: 4 },
  threshold: 3.5,
  volume: { minDeviation: 5, madFloor: 1 },
  /** Rates are judged only for hours with enough finished runs and failures to mean something. */
  failureRate: { minDeviation: 0.1, madFloor: 0.01, minFinished: 5, minFailures: 3 },
  /** Bursts: a day of hours behind each hour; for short ranges also an hour of minutes. */
  burstK: 4,
  hourBurst: { window: 24, minBaseline: 12, minExcess: 5, madFloor: 1 },
  minuteBurst: { window: 60, minBaseline: 30, minExcess: 5, madFloor: 1 },
  minuteBurstMaxRangeMs: 6 * HOUR_MS,
} as const;

interface HourRow {
  bucket: Date | string;
  executions: number | string;
  success: number | string;
  failures: number | string;
  finished: number | string;
}

const HOUR_COUNTS = sql`sum(r.total)::bigint as executions, sum(r.success)::bigint as success,
  sum(r.error + r.crashed)::bigint as failures,
  sum(r.success + r.error + r.crashed + r.canceled)::bigint as finished`;

function anomalyBaseline(kind: BaselineKind): Pick<BaselineOptions, "window" | "minBaseline"> & { stride: number } {
  return kind === "hour-of-day" ? PATTERN_SETTINGS.hourOfDay : PATTERN_SETTINGS.trailing;
}

/**
 * Per minute from raw executions over [from, to); minutes before the client's history or
 * after `until` are null (unknown), the others count from 0.
 */
async function minuteSeries(db: Db, clientId: number, from: Date, to: Date, historyStart: Date, until: Date) {
  const rows = await queryRows<{ bucket: Date | string; n: number | string }>(
    db,
    sql`select date_trunc('minute', e.started_at) as bucket, count(*)::int as n from executions e
      where e.client_id = ${clientId} and e.is_production and e.started_at >= ${ts(from)} and e.started_at < ${ts(to)}
      group by 1`,
  );
  const counts = new Map(rows.map((r) => [isoTimeOrNull(r.bucket), num(r.n)]));
  const starts: Date[] = [];
  const values: Array<number | null> = [];
  for (let t = from.getTime(); t < to.getTime(); t += MINUTE_MS) {
    const minute = new Date(t);
    starts.push(minute);
    const known = t >= historyStart.getTime() && t + MINUTE_MS <= until.getTime();
    values.push(known ? (counts.get(minute.toISOString()) ?? 0) : null);
  }
  return { starts, values };
}

/**
 * The timeline at the range's granularity, bursts (hours, and minutes for short ranges,
 * above median + k·MAD of their trailing window) and hourly anomalies in volume and
 * failure rate against a robust baseline, each with the reason it was flagged.
 *
 * Hours are judged only once complete and collected (up to the last successful sync),
 * so the current hour is never a "drop". Hours with no rollup row count as 0 executions
 * from the client's first rolled-up hour on; before it they are unknown, not zero.
 */
export async function getPatternMetrics(db: Db, query: SectionQuery): Promise<PatternMetrics> {
  const { clientId, range } = query;
  const now = query.now ?? new Date();
  const kind = query.baseline ?? "trailing";
  const base = anomalyBaseline(kind);
  const lookbackHours = base.window * base.stride;
  const rangeFrom = bucketStart(range.start, "hour");
  const detectFrom = new Date(rangeFrom.getTime() - lookbackHours * HOUR_MS);
  const g = range.granularity;
  const calendar = await sectionCalendar(db, query);

  const [, hourRows, [first], freshness, timelineRows] = await Promise.all([
    query.client ?? loadClient(db, clientId),
    queryRows<HourRow>(
      db,
      sql`select r.bucket_start as bucket, ${HOUR_COUNTS} from rollups r
        where ${rollupsIn(clientId, "hour", { from: detectFrom, to: range.end })} group by 1`,
    ),
    queryRows<{ first: Date | string | null }>(
      db,
      sql`select min(r.bucket_start) as first from rollups r where r.client_id = ${clientId} and r.granularity = 'hour'`,
    ),
    getFreshness(db, { clientId, now }),
    g === "hour"
      ? Promise.resolve(null)
      : queryRows<HourRow>(
          db,
          sql`select r.bucket_start as bucket, ${HOUR_COUNTS} from rollups r
            where ${rollupsIn(clientId, g, rangeWindow(range, g, calendar))} group by 1`,
        ),
  ]);

  const lastSync = freshness.lastSyncAt ? new Date(freshness.lastSyncAt) : null;
  const analyzedUntil = lastSync && lastSync < now ? lastSync : now;
  const historyStart = first?.first ? new Date(isoTimeOrNull(first.first) ?? 0) : analyzedUntil;

  // ---- hourly series: index 0 is detectFrom ----
  const byHour = new Map(hourRows.map((r) => [isoTimeOrNull(r.bucket), r]));
  const hours = bucketStartsInRange(detectFrom, range.end, "hour");
  const volume: Array<number | null> = [];
  const rate: Array<number | null> = [];
  for (const h of hours) {
    const known = h >= historyStart && h.getTime() + HOUR_MS <= analyzedUntil.getTime();
    const r = byHour.get(h.toISOString());
    const finished = num(r?.finished);
    volume.push(known ? num(r?.executions) : null);
    rate.push(known && finished >= PATTERN_SETTINGS.failureRate.minFinished ? num(r?.failures) / finished : null);
  }
  const from = hours.findIndex((h) => h >= rangeFrom);
  const judged = { from: from === -1 ? hours.length : from, to: hours.length };

  const anomalies: Anomaly[] = [];
  for (const o of findOutliers(volume, {
    ...base,
    ...judged,
    ...PATTERN_SETTINGS.volume,
    threshold: PATTERN_SETTINGS.threshold,
    direction: "both",
  })) {
    const r = byHour.get(hours[o.index].toISOString());
    anomalies.push({
      bucket: hours[o.index].toISOString(),
      metric: "volume",
      direction: o.direction,
      value: o.value,
      baselineMedian: o.baseline.median,
      baselineMad: o.mad,
      robustZ: Math.round(o.z * 10) / 10,
      executions: num(r?.executions),
      failures: num(r?.failures),
      reason: volumeReason(o, kind, base.window),
    });
  }
  const fr = PATTERN_SETTINGS.failureRate;
  for (const o of findOutliers(rate, {
    ...base,
    ...judged,
    ...fr,
    threshold: PATTERN_SETTINGS.threshold,
    direction: "high",
  })) {
    const r = byHour.get(hours[o.index].toISOString());
    const failures = num(r?.failures);
    if (failures < fr.minFailures) continue;
    anomalies.push({
      bucket: hours[o.index].toISOString(),
      metric: "failure_rate",
      direction: "high",
      value: pct(failures, num(r?.finished)) ?? 0,
      baselineMedian: Math.round(o.baseline.median * 10_000) / 100,
      baselineMad: Math.round(o.mad * 10_000) / 100,
      robustZ: Math.round(o.z * 10) / 10,
      executions: num(r?.executions),
      failures,
      reason: failureRateReason(o, failures, num(r?.finished), kind, base.window),
    });
  }
  anomalies.sort((a, b) => a.bucket.localeCompare(b.bucket) || a.metric.localeCompare(b.metric));

  // ---- bursts ----
  const k = PATTERN_SETTINGS.burstK;
  const bursts: Burst[] = findBursts(volume, { ...PATTERN_SETTINGS.hourBurst, ...judged, k }).map((run) => ({
    level: "hour",
    start: hours[run.startIndex].toISOString(),
    end: new Date(hours[run.endIndex].getTime() + HOUR_MS).toISOString(),
    buckets: run.endIndex - run.startIndex + 1,
    executions: run.total,
    peakExecutions: run.peak,
    baselineMedian: run.baseline.median,
    baselineMad: run.mad,
    reason: burstReason(run, "hour", k),
  }));
  if (range.end.getTime() - range.start.getTime() <= PATTERN_SETTINGS.minuteBurstMaxRangeMs) {
    const mb = PATTERN_SETTINGS.minuteBurst;
    const minuteFrom = new Date(Math.floor(range.start.getTime() / MINUTE_MS) * MINUTE_MS);
    const m = await minuteSeries(
      db,
      clientId,
      new Date(minuteFrom.getTime() - mb.window * MINUTE_MS),
      range.end,
      historyStart,
      analyzedUntil,
    );
    for (const run of findBursts(m.values, { ...mb, k, from: mb.window })) {
      bursts.push({
        level: "minute",
        start: m.starts[run.startIndex].toISOString(),
        end: new Date(m.starts[run.endIndex].getTime() + MINUTE_MS).toISOString(),
        buckets: run.endIndex - run.startIndex + 1,
        executions: run.total,
        peakExecutions: run.peak,
        baselineMedian: run.baseline.median,
        baselineMad: run.mad,
        reason: burstReason(run, "minute", k),
      });
    }
  }
  bursts.sort((a, b) => a.start.localeCompare(b.start) || a.level.localeCompare(b.level));

  // ---- timeline ----
  const timelineBy = timelineRows ? new Map(timelineRows.map((r) => [isoTimeOrNull(r.bucket), r])) : byHour;
  const timeline: TimelinePoint[] = calendar.labelsInRange(range.start, range.end, g).map((b) => {
    const r = timelineBy.get(b.toISOString());
    return {
      bucket: b.toISOString(),
      executions: r ? num(r.executions) : null,
      failures: r ? num(r.failures) : null,
      successRate: r ? pct(num(r.success), num(r.finished)) : null,
    };
  });

  return {
    clientId,
    range: rangeInfo(range),
    timeline,
    baseline: { kind, windowHours: lookbackHours, threshold: PATTERN_SETTINGS.threshold, burstK: k },
    analyzedUntil: analyzedUntil.toISOString(),
    bursts,
    anomalies,
  };
}

/** CSV rows of the anomalies. */
export function patternsCsv(m: PatternMetrics): Array<Record<string, unknown>> {
  return m.anomalies.map((a) => ({ ...a }));
}
