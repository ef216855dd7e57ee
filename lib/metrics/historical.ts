import type { Db } from "@/lib/db/database";
import { assertClientExists, getWorkflowOrThrow } from "@/lib/clients/queries";
import { type Granularity } from "@/lib/core/vocabulary";
import { cachedQuery } from "./cache";
import { pct, round, roundOrNull } from "./compare";
import { resolveRange, type RangeParams } from "./range";
import { failures, finished, microToUsd, rollupFigures, type Figures } from "./totals";
import type { HistoricalPeriod, HistoricalResponse, HistoricalRow } from "./types";
import { loadCalendar } from "@/lib/ingest/rollups/calendar";
import { bucketWindow } from "./window";
import { DAY_MS } from "@/lib/core/time";

const PERIOD_GRANULARITY: Record<HistoricalPeriod, Granularity> = { daily: "day", weekly: "week", monthly: "month" };
/** The window shown when no range is given: what retention keeps at each level, roughly. */
const DEFAULT_DAYS: Record<HistoricalPeriod, number> = { daily: 90, weekly: 364, monthly: 730 };

export interface HistoricalParams {
  clientId: number;
  period: HistoricalPeriod;
  workflowId?: number;
  /** timeframe or start/end; default the last DEFAULT_DAYS of the period. */
  range?: Partial<Omit<RangeParams, "source">>;
  now?: Date;
}

/**
 * GET /api/v1/clients/{id}/historical: the stored daily, weekly or monthly rollups of a
 * client (summed over its workflows) or of one workflow, oldest first. Only buckets that
 * have rows: this is the stored history, not a gap-filled series.
 */
export async function getHistorical(db: Db, q: HistoricalParams): Promise<HistoricalResponse> {
  const now = q.now ?? new Date();
  const granularity = PERIOD_GRANULARITY[q.period];
  const given = q.range ?? {};
  const hasRange = Boolean(given.timeframe || given.start || given.end);
  const range = resolveRange(
    hasRange
      ? { ...given, source: "auto" }
      : { start: new Date(now.getTime() - DEFAULT_DAYS[q.period] * DAY_MS), end: now, source: "auto" },
    now,
  );
  await assertClientExists(db, q.clientId);
  if (q.workflowId !== undefined) await getWorkflowOrThrow(db, q.clientId, q.workflowId);
  const window = bucketWindow(range, granularity, await loadCalendar(db, q.clientId));
  const rows = await cachedQuery(
    db,
    { endpoint: "historical", clientId: q.clientId, params: { granularity, window, workflowId: q.workflowId } },
    async () => {
      const figures = await rollupFigures(db, {
        clientId: q.clientId,
        level: granularity,
        window,
        groupBy: granularity,
        workflowId: q.workflowId,
        percentiles: true,
      });
      return [...figures.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([bucket, f]) => historicalRow(bucket, f));
    },
  );
  return {
    clientId: q.clientId,
    period: q.period,
    granularity,
    workflowId: q.workflowId ?? null,
    start: range.start.toISOString(),
    end: range.end.toISOString(),
    rows,
  };
}

function historicalRow(bucket: string, f: Figures): HistoricalRow {
  return {
    bucket,
    executions: f.total,
    success: f.success,
    error: f.error,
    crashed: f.crashed,
    canceled: f.canceled,
    other: f.other,
    failures: failures(f),
    successRate: pct(f.success, finished(f)),
    avgDurationMs: f.durationCount > 0 ? round(f.durationSumMs / f.durationCount, 1) : null,
    minDurationMs: f.durationMinMs,
    maxDurationMs: f.durationMaxMs,
    p50DurationMs: roundOrNull(f.percentiles.p50, 1),
    p95DurationMs: roundOrNull(f.percentiles.p95, 1),
    p99DurationMs: roundOrNull(f.percentiles.p99, 1),
    peakConcurrency: f.peakConcurrency,
    minutesSaved: round(f.minutesSaved),
    llmCalls: f.llmCalls,
    tokensIn: f.tokensIn,
    tokensOut: f.tokensOut,
    costUsd: microToUsd(f.costMicroUsd),
  };
}
