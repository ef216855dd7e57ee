import { lt, sql } from "drizzle-orm";
import { subDays } from "date-fns";
import { floorHour } from "@/lib/core/zone-time";
import { queryRows, ts, type Db } from "@/lib/db/database";
import { systemMetricsHourly } from "@/lib/db/schema";
import { aggregatePendingHours } from "./aggregate";

export interface SystemMetricsRetention {
  aggregatedHours: number;
  deletedPoints: number;
  deletedHourly: number;
}

/**
 * Aggregates every finished hour still pending, then deletes the raw points of whole
 * hours older than `rawDays` whose hour is aggregated (one a writer marked meanwhile
 * keeps its points until the next pass), and hourly aggregates older than `hourlyDays`.
 */
export async function runSystemMetricsRetention(
  db: Db,
  opts: { now?: Date; rawDays: number; hourlyDays: number },
): Promise<SystemMetricsRetention> {
  const now = opts.now ?? new Date();
  let aggregatedHours = 0;
  for (;;) {
    const { hours } = await aggregatePendingHours(db, now);
    aggregatedHours += hours;
    if (hours === 0) break;
  }
  // Whole hours only: an hour is never left half raw, so re-aggregating it (a late point,
  // which the API takes only within the raw retention) always reads all of its points.
  const rawCutoff = floorHour(subDays(now, opts.rawDays));
  const [deleted] = await queryRows<{ n: number }>(
    db,
    sql`with deleted as (
      delete from system_metrics m
      where m.recorded_at < ${ts(rawCutoff)}
        and not exists (
          select 1 from system_metric_hours_pending p where p.hour = date_trunc('hour', m.recorded_at)
        )
      returning 1)
    select count(*)::int as n from deleted`,
  );
  const hourly = await db
    .delete(systemMetricsHourly)
    .where(lt(systemMetricsHourly.hour, subDays(now, opts.hourlyDays)))
    .returning({ hour: systemMetricsHourly.hour });
  return { aggregatedHours, deletedPoints: deleted?.n ?? 0, deletedHourly: hourly.length };
}
