import { asc, eq, lt, sql } from "drizzle-orm";
import { queryRows, ts, type Db } from "@/lib/db/database";
import { describeError } from "@/lib/core/describe-error";
import { HOUR_MS } from "@/lib/core/time";
import { floorHour } from "@/lib/core/zone-time";
import { systemMetricHoursPending, systemMetricsHourly } from "@/lib/db/schema";

/** Hours aggregated per call at most, oldest first; the rest wait for the next call. */
const HOURS_PER_CALL = 72;

/**
 * Folds each finished hour that received points into system_metrics_hourly (one row per
 * series: count, sum, min, max, p50, p95), replacing what an earlier pass wrote for it.
 * The hour's pending mark is deleted first, inside the same transaction: a writer still
 * holding it (store.ts upserts the mark) is waited for, so its points are read; one that
 * comes after marks the hour again, and the next pass counts it.
 *
 * A run's points carry its id (`run`, to find them raw); the aggregates drop it, so an hour
 * holds one row per series and phase rather than one per run. An hour that cannot be
 * aggregated stays marked (and so kept raw) and is reported; the hours after it go on.
 */
export async function aggregatePendingHours(
  db: Db,
  now: Date = new Date(),
): Promise<{ hours: number; series: number; failed: number }> {
  const currentHour = floorHour(now);
  const pending = await db
    .select({ hour: systemMetricHoursPending.hour })
    .from(systemMetricHoursPending)
    .where(lt(systemMetricHoursPending.hour, currentHour))
    .orderBy(asc(systemMetricHoursPending.hour))
    .limit(HOURS_PER_CALL);
  let series = 0;
  let failed = 0;
  for (const { hour } of pending) {
    try {
      series += await aggregateHour(db, hour);
    } catch (err) {
      failed++;
      console.error(`[telemetry] could not aggregate the hour of ${hour.toISOString()}: ${describeError(err).message}`);
    }
  }
  return { hours: pending.length - failed, series, failed };
}

/** One hour's rows, replacing what an earlier pass wrote for it; the number of series. */
function aggregateHour(db: Db, hour: Date): Promise<number> {
  return db.transaction(async (tx) => {
    await tx.delete(systemMetricHoursPending).where(eq(systemMetricHoursPending.hour, hour));
    await tx.delete(systemMetricsHourly).where(eq(systemMetricsHourly.hour, hour));
    const end = new Date(hour.getTime() + HOUR_MS);
    const [inserted] = await queryRows<{ n: number }>(
      tx,
      sql`with inserted as (
        insert into system_metrics_hourly (hour, name, type, service, labels, unit, count, sum, min, max, p50, p95)
        select ${ts(hour)}, name, type, service, labels - 'run', max(unit), count(*)::int, sum(value), min(value), max(value),
          percentile_cont(0.5) within group (order by value), percentile_cont(0.95) within group (order by value)
        from system_metrics
        where recorded_at >= ${ts(hour)} and recorded_at < ${ts(end)}
        group by name, type, service, labels - 'run'
        returning 1)
        select count(*)::int as n from inserted`,
    );
    return inserted?.n ?? 0;
  });
}
