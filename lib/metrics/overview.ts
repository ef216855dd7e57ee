import type { Db } from "@/lib/db/database";
import { assertClientExists } from "@/lib/clients/queries";
import { cachedQuery } from "./cache";
import { compare } from "./compare";
import { loadCalendar } from "@/lib/ingest/rollups/calendar";
import { decomposePrevious, decomposeSeries, horizonsAt } from "./decompose";
import { readPieces } from "./read-pieces";
import { tallyFigures } from "./tally";
import { hasData, metricValues } from "./totals";
import { METRIC_INFO, METRIC_NAMES, type MetricName, type MetricTotal, type OverviewResponse } from "./types";
import type { ResolvedRange } from "./range";
import { period, toResolvedRange, type RangeInput } from "./window";

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
 * daily trend of every metric over the range. The range, the previous period and each
 * day are decomposed exactly (decompose.ts) and read in one pass (read-pieces.ts); the
 * periods say what was counted, wider than asked only where retention forced it.
 */
export async function getOverview(db: Db, q: OverviewQuery): Promise<OverviewResponse> {
  const now = q.now ?? new Date();
  const range = toResolvedRange(q.range, now);
  await assertClientExists(db, q.clientId);
  const body = await cachedQuery(
    db,
    { endpoint: "overview", clientId: q.clientId, params: { start: range.start, end: range.end } },
    () => overviewBody(db, q.clientId, range, now),
  );
  return { clientId: q.clientId, source: range.granularity, ...body };
}

async function overviewBody(db: Db, clientId: number, range: ResolvedRange, now: Date) {
  const horizons = horizonsAt(now);
  const calendar = await loadCalendar(db, clientId);
  const { range: current, buckets: days } = decomposeSeries(range.start, range.end, "day", horizons, calendar);
  const previous = decomposePrevious(current, horizons, calendar);
  const pieces = await readPieces(db, [clientId], [current, previous, ...days]);

  const figures = tallyFigures(pieces.tally(current, clientId));
  const values = metricValues(figures);
  const previousValues = metricValues(tallyFigures(pieces.tally(previous, clientId)));
  const totals: MetricTotal[] = METRIC_NAMES.filter((m) => hasData(m, figures)).map((metric) => {
    const value = values[metric] ?? 0;
    // A previous period without data compares as 0 for sums, as nothing for rates and durations.
    const prior = previousValues[metric] ?? (SUMS.has(metric) ? 0 : null);
    return { metric, ...METRIC_INFO[metric], value, ...compare(value, prior, metric === "llm_cost_usd" ? 6 : 2) };
  });
  const dailyTrend = days.map((day) => ({
    date: day.bucket.toISOString(),
    metrics: metricValues(tallyFigures(pieces.tally(day, clientId))),
  }));
  return {
    period: period(current.start, current.end),
    previousPeriod: period(previous.start, previous.end),
    totals,
    dailyTrend,
  };
}
