import type { Db } from "@/lib/db/database";
import { assertClientExists } from "@/lib/clients/queries";
import { cachedQuery } from "./cache";
import { pct, round } from "./compare";
import { loadCalendar } from "@/lib/ingest/rollups/calendar";
import { decomposeSeries, horizonsAt } from "./decompose";
import { readPieces } from "./read-pieces";
import { tallyFigures } from "./tally";
import {
  failures,
  finished,
  metricValues,
  microToUsd,
  NO_PERCENTILES,
  percentilesRounded,
  type Figures,
} from "./totals";
import { METRIC_INFO, type MetricName, type Percentiles, type SummaryResponse, type SummaryRow } from "./types";
import { toResolvedRange, type RangeInput } from "./window";

export interface SummaryQuery {
  clientId: number;
  range: RangeInput;
  now?: Date;
}

/**
 * GET /api/v1/metrics/summary: every metric over the range, counted exactly
 * (decompose.ts), with per-bucket average, min and max at the size the range selects
 * (≤7d hourly, ≤90d daily, beyond monthly, or `source`), the first and last bucket
 * clipped to the range. live-summary answers the same from raw rows.
 */
export async function getSummary(db: Db, q: SummaryQuery): Promise<SummaryResponse> {
  const now = q.now ?? new Date();
  const range = toResolvedRange(q.range, now);
  await assertClientExists(db, q.clientId);
  const level = range.granularity;
  const body = await cachedQuery(
    db,
    { endpoint: "summary", clientId: q.clientId, params: { start: range.start, end: range.end, level } },
    async () => {
      const calendar = await loadCalendar(db, q.clientId);
      const decomposed = decomposeSeries(range.start, range.end, level, horizonsAt(now), calendar);
      const pieces = await readPieces(db, [q.clientId], [decomposed.range, ...decomposed.buckets]);
      const buckets = decomposed.buckets
        .map((b) => tallyFigures(pieces.tally(b, q.clientId)))
        .filter((f): f is Figures => f !== undefined);
      return {
        start: decomposed.range.start.toISOString(),
        end: decomposed.range.end.toISOString(),
        ...buildSummary(tallyFigures(pieces.tally(decomposed.range, q.clientId)), buckets),
      };
    },
  );
  return { clientId: q.clientId, source: level, granularity: level, ...body };
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
