import type { Db } from "@/lib/db/database";
import { getClientOrThrow } from "@/lib/clients/queries";
import { bucketStartsInRange } from "@/lib/ingest/rollups/buckets";
import { cachedQuery } from "./cache";
import { compare } from "./compare";
import { hasData, metricValues, rollupFigures } from "./totals";
import { METRIC_INFO, METRIC_NAMES, type MetricName, type MetricTotal, type OverviewResponse } from "./types";
import { bucketWindow, period, previousWindow, toResolvedRange, type RangeInput } from "./window";

const SUMS = new Set<MetricName>(["executions", "failures", "time_saved_minutes", "llm_calls", "llm_cost_usd"]);

export interface OverviewQuery {
  clientId: number;
  range: RangeInput;
  /** Resolves a relative range (timeframe); defaults to the current time. */
  now?: Date;
}

/**
 * GET /api/v1/metrics/overview: the summary cards (totals with their comparison to the
 * previous period of the same length, in priority order, only metrics with data) and a
 * daily trend of every metric over the range. Totals come from the range's rollup level,
 * the trend from day rollups.
 */
export async function getOverview(db: Db, q: OverviewQuery): Promise<OverviewResponse> {
  const range = toResolvedRange(q.range, q.now);
  await getClientOrThrow(db, q.clientId);
  const level = range.granularity;
  const current = bucketWindow(range, level);
  const previous = previousWindow(range, level);
  const days = bucketWindow(range, "day");

  const body = await cachedQuery(
    db,
    { endpoint: "overview", clientId: q.clientId, params: { level, current, previous, days } },
    async () => {
      const [now, before, trend] = await Promise.all([
        rollupFigures(db, { clientId: q.clientId, level, window: current, groupBy: "all", percentiles: true }),
        rollupFigures(db, { clientId: q.clientId, level, window: previous, groupBy: "all", percentiles: true }),
        rollupFigures(db, { clientId: q.clientId, level: "day", window: days, groupBy: "day", percentiles: true }),
      ]);
      const figures = now.get("all");
      const values = metricValues(figures);
      const previousValues = metricValues(before.get("all"));
      const totals: MetricTotal[] = METRIC_NAMES.filter((m) => hasData(m, figures)).map((metric) => {
        const value = values[metric] ?? 0;
        // A previous period without data compares as 0 for sums, as nothing for rates and durations.
        const prior = previousValues[metric] ?? (SUMS.has(metric) ? 0 : null);
        return { metric, ...METRIC_INFO[metric], value, ...compare(value, prior, metric === "llm_cost_usd" ? 6 : 2) };
      });
      const dailyTrend = bucketStartsInRange(days.from, days.to, "day").map((day) => {
        const date = day.toISOString();
        return { date, metrics: metricValues(trend.get(date)) };
      });
      return { totals, dailyTrend };
    },
  );

  return {
    clientId: q.clientId,
    period: period(range.start, range.end),
    previousPeriod: period(range.previous.start, range.previous.end),
    source: level,
    ...body,
  };
}
