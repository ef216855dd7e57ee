import { asc, eq, lt, sql } from "drizzle-orm";
import { queryRows, ts, type Db } from "@/lib/db/database";
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
 */
export async function aggregatePendingHours(
  db: Db,
  now: Date = new Date(),
): Promise<{ hours: number; series: number }> {
  const currentHour = floorHour(now);
  const pending = await db
    .select({ hour: systemMetricHoursPending.hour })
    .from(systemMetricHoursPending)
    .where(lt(systemMetricHoursPending.hour, currentHour))
    .orderBy(asc(systemMetricHoursPending.hour))
    .limit(HOURS_PER_CALL);
  let series = 0;
  for (const { hour } of pending) {
    series += await db.transaction(async (tx) => {
      await tx.delete(systemMetricHoursPending).where(eq(systemMetricHoursPending.hour, hour));
      await tx.delete(systemMetricsHourly).where(eq(systemMetricsHourly.hour, hour));
      const end = new Date(hour.getTime() + HOUR_MS);
      const [inserted] = await queryRows<{ n: number }>(
        tx,
        sql`with inserted as (
        insert into system_metrics_hourly (hour, name, type, service, labels, unit, count, sum, min, max, p50, p95)
        select ${ts(hour)}, name, type, service, labels, max(unit), count(*)::int, sum(value), min(value), max(value),
          percentile_cont(0.5) within group (order by value), percentile_cont(0.95) within group (order by value)
        from system_metrics
        where recorded_at >= ${ts(hour)} and recorded_at < ${ts(end)}
        group by name, type, service, labels
        returning 1)
        select count(*)::int as n from inserted`,
      );
      return inserted?.n ?? 0;
    });
  }
  return { hours: pending.length, series };
}
