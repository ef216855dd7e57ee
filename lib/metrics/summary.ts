import type { Db } from "@/lib/db/database";
import { getClientOrThrow } from "@/lib/clients/queries";
import { cachedQuery } from "./cache";
import { pct, round } from "./compare";
import {
  failures,
  finished,
  metricValues,
  microToUsd,
  NO_PERCENTILES,
  percentilesRounded,
  rollupFigures,
  type Figures,
} from "./totals";
import { METRIC_INFO, type MetricName, type Percentiles, type SummaryResponse, type SummaryRow } from "./types";
import { bucketWindow, toResolvedRange, type RangeInput } from "./window";

export interface SummaryQuery {
  clientId: number;
  range: RangeInput;
  now?: Date;
}

/**
 * GET /api/v1/metrics/summary: every metric over the range from the rollup level the
 * range selects (≤7d hourly, ≤90d daily, beyond monthly, or `source`), with per-bucket
 * average, min and max at that level. live-summary answers the same from raw rows.
 */
export async function getSummary(db: Db, q: SummaryQuery): Promise<SummaryResponse> {
  const range = toResolvedRange(q.range, q.now);
  await getClientOrThrow(db, q.clientId);
  const level = range.granularity;
  const window = bucketWindow(range, level);
  const body = await cachedQuery(
    db,
    { endpoint: "summary", clientId: q.clientId, params: { level, window } },
    async () => {
      const [overall, buckets] = await Promise.all([
        rollupFigures(db, { clientId: q.clientId, level, window, groupBy: "all", percentiles: true }),
        rollupFigures(db, { clientId: q.clientId, level, window, groupBy: level, percentiles: true }),
      ]);
      return buildSummary(overall.get("all"), [...buckets.values()]);
    },
  );
  return {
    clientId: q.clientId,
    start: range.start.toISOString(),
    end: range.end.toISOString(),
    source: level,
    granularity: level,
    ...body,
  };
}

function spread(values: number[], digits = 2): Pick<SummaryRow, "average" | "min" | "max"> {
  if (values.length === 0) return { average: null, min: null, max: null };
  return {
    average: round(values.reduce((a, b) => a + b, 0) / values.length, digits),
    min: round(Math.min(...values), digits),
    max: round(Math.max(...values), digits),
  };
}

/** The summary rows from the range's overall figures and its buckets' figures (those with data). */
export function buildSummary(
  overall: Figures | undefined,
  buckets: Figures[],
): { summary: SummaryRow[]; percentiles: Percentiles } {
  const totals = metricValues(overall);
  const row = (metric: MetricName, count: number, rest: Pick<SummaryRow, "average" | "min" | "max">): SummaryRow => ({
    metric,
    unit: METRIC_INFO[metric].unit,
    total: overall ? totals[metric] : null,
    count,
    ...rest,
  });
  const sum = (metric: MetricName, value: (f: Figures) => number, digits = 2) =>
    row(metric, buckets.length, spread(buckets.map(value), digits));
  const withFinished = buckets.filter((b) => finished(b) > 0);
  const timed = buckets.filter((b) => b.durationCount > 0);
  const p95s = timed.map((b) => b.percentiles.p95).filter((p): p is number => p !== null);

  return {
    summary: [
      sum("executions", (b) => b.total),
      row(
        "success_rate",
        overall ? finished(overall) : 0,
        spread(withFinished.map((b) => pct(b.success, finished(b)) ?? 0)),
      ),
      sum("failures", failures),
      row("avg_duration_ms", overall?.durationCount ?? 0, {
        average: totals.avg_duration_ms,
        min: overall?.durationMinMs ?? null,
        max: overall?.durationMaxMs ?? null,
      }),
      row("p95_duration_ms", overall?.durationCount ?? 0, spread(p95s, 1)),
      sum("time_saved_minutes", (b) => b.minutesSaved),
      sum("llm_calls", (b) => b.llmCalls),
      sum("llm_cost_usd", (b) => microToUsd(b.costMicroUsd), 6),
    ],
    percentiles: percentilesRounded(overall?.percentiles ?? NO_PERCENTILES),
  };
}
