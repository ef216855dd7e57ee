/**
 * The rows each endpoint exports with `format=csv`: the answer's series or table, flat
 * (one column per figure; comparisons become `<figure>_previous` and `<figure>_delta_pct`).
 */
import type {
  AllClientsResponse,
  ExplorerResponse,
  HistoricalResponse,
  OverviewResponse,
  RecentActivityResponse,
  SeriesResponse,
  SummaryResponse,
  TopErrorsResponse,
  WorkflowsResponse,
} from "./types";

type Rows = Array<Record<string, unknown>>;

/** The overview's daily trend: one row per day. */
export const overviewCsvRows = (r: OverviewResponse): Rows => r.dailyTrend.map((d) => ({ date: d.date, ...d.metrics }));

export const summaryCsvRows = (r: SummaryResponse): Rows => r.summary.map((row) => ({ ...row }));

export const seriesCsvRows = (r: SeriesResponse): Rows => r.series.map((p) => ({ ...p }));

export const recentActivityCsvRows = (r: RecentActivityResponse): Rows => r.items.map((i) => ({ ...i }));

export const topErrorsCsvRows = (r: TopErrorsResponse): Rows => r.errors.map((e) => ({ ...e }));

export const explorerCsvRows = (r: ExplorerResponse): Rows => r.items.map((i) => ({ ...i }));

export const workflowsCsvRows = (r: WorkflowsResponse): Rows =>
  r.workflows.map(({ comparison, ...w }) => ({
    ...w,
    executions_previous: comparison.executions.previous,
    executions_delta_pct: comparison.executions.deltaPct,
    success_rate_previous: comparison.successRate.previous,
  }));

export const historicalCsvRows = (r: HistoricalResponse): Rows =>
  r.rows.map((row) => ({ ...row, workflowId: r.workflowId }));

export const allClientsCsvRows = (r: AllClientsResponse): Rows =>
  r.clients.map(({ comparison, freshness, health, trend: _trend, lastFailure, ...c }) => ({
    ...c,
    health: health.state,
    healthReason: health.reason,
    lastFailureExecutionId: lastFailure?.executionId ?? null,
    lastFailureAt: lastFailure?.startedAt ?? null,
    executions_previous: comparison.executions.previous,
    executions_delta_pct: comparison.executions.deltaPct,
    success_rate_previous: comparison.successRate.previous,
    failures_previous: comparison.failures.previous,
    time_saved_minutes_previous: comparison.timeSavedMinutes.previous,
    lastSyncAt: freshness.lastSyncAt,
    ageSeconds: freshness.ageSeconds,
    stale: freshness.stale,
    lastRunStatus: freshness.lastRunStatus,
  }));
