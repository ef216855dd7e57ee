import type { Db } from "@/lib/db/database";
import { assertClientExists, getWorkflowOrThrow } from "@/lib/clients/queries";
import { GRANULARITIES, type Granularity } from "@/lib/core/vocabulary";
import { AppError } from "@/lib/core/errors";
import { cachedQuery } from "./cache";
import { pct, round, roundOrNull } from "./compare";
import { loadCalendar, type BucketCalendar } from "@/lib/ingest/rollups/calendar";
import { decomposeSeries, horizonsAt } from "./decompose";
import { readPieces } from "./read-pieces";
import { tallyFigures } from "./tally";
import { failures, finished, microToUsd, type Figures } from "./totals";
import type { SeriesPoint, SeriesResponse } from "./types";
import { toResolvedRange, type BucketWindow, type RangeInput } from "./window";

export interface SeriesQuery {
  clientId: number;
  range: RangeInput;
  /** Bucket size of the answer; defaults to the source's. */
  granularity?: Granularity;
  /** Only this workflow's runs (Flowscope's id): the workflow drill-down. */
  workflowId?: number;
  now?: Date;
}

const LEVEL: Record<Granularity, string> = { hour: "hourly", day: "daily", week: "weekly", month: "monthly" };

/**
 * The bucket size a series is answered in. It may be coarser than the rollup level read
 * (hours summed into days), never finer, and weeks cannot be summed into months (a week
 * straddles two). Throws a 400 naming `granularity`.
 */
export function seriesGranularity(level: Granularity, requested: Granularity | undefined): Granularity {
  const g = requested ?? level;
  if (GRANULARITIES.indexOf(g) < GRANULARITIES.indexOf(level)) {
    throw new AppError(
      "bad_request",
      `granularity: ${g} is finer than the ${LEVEL[level]} source of this range; use ${level} or coarser, or a shorter range or another source`,
    );
  }
  if (level === "week" && g === "month") {
    throw new AppError(
      "bad_request",
      "granularity: weeks cannot be summed into months; use source=daily or source=monthly",
    );
  }
  return g;
}

/**
 * GET /api/v1/metrics/series: every bucket of the range at `granularity` (by default the
 * size the range selects: ≤7d hourly, ≤90d daily, beyond monthly), the first and last
 * clipped to the range and counted exactly (decompose.ts). A bucket without data is all
 * nulls: a gap, not a zero.
 */
export async function getSeries(db: Db, q: SeriesQuery): Promise<SeriesResponse> {
  const now = q.now ?? new Date();
  const range = toResolvedRange(q.range, now);
  const level = range.granularity;
  const granularity = seriesGranularity(level, q.granularity);
  await assertClientExists(db, q.clientId);
  const { workflowId } = q;
  if (workflowId !== undefined) await getWorkflowOrThrow(db, q.clientId, workflowId);
  const body = await cachedQuery(
    db,
    {
      endpoint: "series",
      clientId: q.clientId,
      params: { start: range.start, end: range.end, granularity, workflowId: workflowId ?? null },
    },
    async () => {
      const calendar = await loadCalendar(db, q.clientId);
      const decomposed = decomposeSeries(range.start, range.end, granularity, horizonsAt(now), calendar);
      // One workflow's buckets are its per-workflow rollup rows; the client's, its client rows.
      const pieces = await readPieces(db, [q.clientId], decomposed.buckets, workflowId ? "workflow" : "client");
      const id = workflowId ?? q.clientId;
      return {
        start: decomposed.range.start.toISOString(),
        end: decomposed.range.end.toISOString(),
        series: decomposed.buckets.map((b) => seriesPoint(b.bucket.toISOString(), tallyFigures(pieces.tally(b, id)))),
      };
    },
  );
  return { clientId: q.clientId, start: body.start, end: body.end, source: level, granularity, series: body.series };
}

/** One point per bucket of the client's calendar in the window; figures are keyed by the bucket's ISO start. */
export function buildSeries(
  window: BucketWindow,
  granularity: Granularity,
  figures: Map<string, Figures>,
  calendar: BucketCalendar,
): SeriesPoint[] {
  return calendar
    .labelsInRange(window.from, window.to, granularity)
    .map((b) => seriesPoint(b.toISOString(), figures.get(b.toISOString())));
}

export function seriesPoint(bucket: string, f: Figures | undefined): SeriesPoint {
  if (!f) {
    return {
      bucket,
      executions: null,
      success: null,
      failures: null,
      successRate: null,
      avgDurationMs: null,
      p50DurationMs: null,
      p95DurationMs: null,
      p99DurationMs: null,
      minutesSaved: null,
      llmCalls: null,
      costUsd: null,
    };
  }
  return {
    bucket,
    executions: f.total,
    success: f.success,
    failures: failures(f),
    successRate: pct(f.success, finished(f)),
    avgDurationMs: f.durationCount > 0 ? round(f.durationSumMs / f.durationCount, 1) : null,
    p50DurationMs: roundOrNull(f.percentiles.p50, 1),
    p95DurationMs: roundOrNull(f.percentiles.p95, 1),
    p99DurationMs: roundOrNull(f.percentiles.p99, 1),
    minutesSaved: round(f.minutesSaved),
    llmCalls: f.llmCalls,
    costUsd: microToUsd(f.costMicroUsd),
  };
}
