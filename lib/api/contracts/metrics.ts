/**
 * The metrics API's contracts: the routes bind their handlers to these (lib/api/handler.ts),
 * the OpenAPI document (lib/api/openapi.ts) and the authorization test read them.
 */
import type { z } from "zod";
import { defineContract } from "@/lib/api/contract";
import { ExecutionMetricsParams } from "@/lib/metrics/execution/params";
import { EXPORT_LIMIT, ExecutionsParams } from "@/lib/metrics/explorer-params";
import {
  ExecutionMetrics,
  LatencyMetrics,
  PatternMetrics,
  PerformanceMetrics,
  RealtimeMetrics,
  ThroughputMetrics,
} from "@/lib/metrics/execution/types";
import {
  ClientRangeParams,
  HistoricalPathParams,
  HistoricalParams,
  RangeParams,
  RecentActivityParams,
  SeriesParams,
  LiveSeriesParams,
  TopErrorsParams,
} from "@/lib/metrics/params";
import {
  AllClientsResponse,
  CoverageResponse,
  ExplorerResponse,
  HistoricalResponse,
  OverviewResponse,
  RecentActivityResponse,
  SeriesResponse,
  SummaryResponse,
  TopErrorsResponse,
  WorkflowsResponse,
} from "@/lib/metrics/types";

const rangeNote = (defaultTimeframe: string) =>
  `Range: \`timeframe\` (1h, 6h, 24h, 7d, 30d, 90d; default ${defaultTimeframe}) or \`start\`/\`end\` (ISO 8601, end after start, at most 2 years). ` +
  "The rollup level is chosen by length (≤7d hourly, ≤90d daily, beyond monthly; a level past its retention moves up) unless `source` overrides it.";
const RANGE_NOTE = rangeNote("7d");

const EXECUTION_NOTE = "Sections of the execution dashboard; the same query string for each.";

export const metricsOverview = defineContract({
  method: "GET",
  path: "/api/v1/metrics/overview",
  tag: "metrics",
  summary: "Summary cards with comparison to the previous period, and a daily trend",
  description: `${RANGE_NOTE} Cached until the next sync. CSV: the daily trend.`,
  access: "viewer",
  client: "query",
  query: ClientRangeParams,
  response: { name: "OverviewResponse", schema: OverviewResponse },
  csv: true,
  example: { query: { clientId: ":client" } },
});

export const metricsSummary = defineContract({
  method: "GET",
  path: "/api/v1/metrics/summary",
  tag: "metrics",
  summary: "Every metric over the range, from rollups",
  description: `${RANGE_NOTE} Cached until the next sync.`,
  access: "viewer",
  client: "query",
  query: ClientRangeParams,
  response: { name: "SummaryResponse", schema: SummaryResponse },
  csv: true,
  example: { query: { clientId: ":client" } },
});

export const metricsSeries = defineContract({
  method: "GET",
  path: "/api/v1/metrics/series",
  tag: "metrics",
  summary: "Time series from rollups; every bucket of the range, missing ones null",
  description: `${RANGE_NOTE} \`granularity\` defaults to the source's; finer than the source is a 400. Cached until the next sync.`,
  access: "viewer",
  client: "query",
  query: SeriesParams,
  response: { name: "SeriesResponse", schema: SeriesResponse },
  csv: true,
  example: { query: { clientId: ":client" } },
});

export const metricsLiveSummary = defineContract({
  method: "GET",
  path: "/api/v1/metrics/live-summary",
  tag: "metrics",
  summary: "The summary computed from raw executions (not cached)",
  description: RANGE_NOTE,
  access: "viewer",
  client: "query",
  query: ClientRangeParams,
  response: { name: "SummaryResponse", schema: SummaryResponse },
  csv: true,
  example: { query: { clientId: ":client" } },
});

export const metricsLiveSeries = defineContract({
  method: "GET",
  path: "/api/v1/metrics/live-series",
  tag: "metrics",
  summary: "The series computed from raw executions (not cached)",
  description: RANGE_NOTE,
  access: "viewer",
  client: "query",
  query: LiveSeriesParams,
  response: { name: "SeriesResponse", schema: SeriesResponse },
  csv: true,
  example: { query: { clientId: ":client" } },
});

export const metricsRecentActivity = defineContract({
  method: "GET",
  path: "/api/v1/metrics/recent-activity",
  tag: "metrics",
  summary: "The newest production executions",
  access: "viewer",
  client: "query",
  query: RecentActivityParams,
  response: { name: "RecentActivityResponse", schema: RecentActivityResponse },
  csv: true,
  example: { query: { clientId: ":client" } },
});

export const metricsExecutions = defineContract({
  method: "GET",
  path: "/api/v1/metrics/executions",
  tag: "metrics",
  summary: "Every stored execution, newest first, filtered, a page at a time (the executions explorer)",
  description:
    "Production and excluded executions, finished or not, by n8n id descending, with their error and a link into n8n. " +
    "Page with `cursor` (the previous page's `nextCursor`). Not cached. " +
    `CSV: the filtered list from the cursor on, up to ${EXPORT_LIMIT.toLocaleString("en-US")} rows.`,
  access: "viewer",
  client: "query",
  query: ExecutionsParams,
  response: { name: "ExplorerResponse", schema: ExplorerResponse },
  csv: true,
  example: { query: { clientId: ":client", status: "error,crashed" } },
});

export const metricsErrors = defineContract({
  method: "GET",
  path: "/api/v1/metrics/errors",
  tag: "metrics",
  summary: "Top errors: failed production runs grouped by workflow, node and message",
  description:
    `${rangeNote("7d")} Most frequent first, each with when it was first and last seen and its newest run; ` +
    "failures whose message is not known are counted apart. Live from executions, not cached.",
  access: "viewer",
  client: "query",
  query: TopErrorsParams,
  response: { name: "TopErrorsResponse", schema: TopErrorsResponse },
  csv: true,
  example: { query: { clientId: ":client" } },
});

export const metricsWorkflows = defineContract({
  method: "GET",
  path: "/api/v1/metrics/workflows",
  tag: "metrics",
  summary: "Performance table per workflow",
  description: `${RANGE_NOTE} Cached until the next sync.`,
  access: "viewer",
  client: "query",
  query: ClientRangeParams,
  response: { name: "WorkflowsResponse", schema: WorkflowsResponse },
  csv: true,
  example: { query: { clientId: ":client" } },
});

export const metricsAllClients = defineContract({
  method: "GET",
  path: "/api/v1/metrics/all",
  tag: "metrics",
  summary: "Operator overview of every client, with data freshness",
  description: `${RANGE_NOTE} Figures cached until the next sync; freshness per request.`,
  access: "operator",
  query: RangeParams,
  response: { name: "AllClientsResponse", schema: AllClientsResponse },
  csv: true,
});

export const clientHistorical = defineContract({
  method: "GET",
  path: "/api/v1/clients/{id}/historical",
  tag: "clients",
  summary: "Stored daily, weekly or monthly rollups of a client or one of its workflows",
  description:
    "Range as elsewhere (`source` does not apply: `period` picks the level); default the last 90 days (daily), 52 weeks (weekly) or 24 months (monthly).",
  access: "viewer",
  client: "path",
  query: HistoricalParams,
  pathParams: HistoricalPathParams,
  response: { name: "HistoricalResponse", schema: HistoricalResponse },
  csv: true,
  example: { pathParams: { id: ":client" } },
});

export const clientCoverage = defineContract({
  method: "GET",
  path: "/api/v1/clients/{id}/coverage",
  tag: "clients",
  summary: "How much of the client's n8n history is held, and which executions are known to be missing",
  description:
    "From the coverage ledger: history start, newest execution, ids seen, ids missing (n8n answered 404: pruned, deleted or not visible to the key) with when they ran, ids not asked for yet, ids still to read after an interrupted sync, executions running now and the share collected. `range.missing`: missing ids whose time overlaps the range (default the last 30 days).",
  access: "viewer",
  client: "path",
  query: RangeParams,
  pathParams: HistoricalPathParams,
  response: { name: "CoverageResponse", schema: CoverageResponse },
  example: { pathParams: { id: ":client" } },
});

/**
 * One section of the execution dashboard (or all of them): the same query, access and
 * scope. `csv`: the sections whose route gives rows (series, distribution, failures by
 * workflow, anomalies).
 */
function executionContract(opts: {
  suffix: string;
  summary: string;
  response: { name: string; schema: z.ZodType };
  csv?: boolean;
}) {
  return defineContract({
    method: "GET",
    path: `/api/v1/metrics/execution${opts.suffix}`,
    tag: "execution",
    summary: opts.summary,
    description: `${EXECUTION_NOTE} ${rangeNote("24h")}`,
    access: "viewer",
    client: "query",
    query: ExecutionMetricsParams,
    response: opts.response,
    csv: opts.csv,
    example: { query: { clientId: ":client" } },
  });
}

export const executionAll = executionContract({
  suffix: "",
  summary: "All execution sections in one answer",
  response: { name: "ExecutionMetricsResponse", schema: ExecutionMetrics },
});

export const executionRealtime = executionContract({
  suffix: "/realtime",
  summary: "Running and waiting executions now, queue depth, last sync's freshness",
  response: { name: "ExecutionRealtimeResponse", schema: RealtimeMetrics },
});

export const executionThroughput = executionContract({
  suffix: "/throughput",
  summary: "Executions per minute, hour and day; peak; capacity use against the concurrency limit",
  response: { name: "ExecutionThroughputResponse", schema: ThroughputMetrics },
  csv: true,
});

export const executionLatency = executionContract({
  suffix: "/latency",
  summary: "Duration percentiles (p50–p99) from the histograms, and a distribution",
  response: { name: "ExecutionLatencyResponse", schema: LatencyMetrics },
  csv: true,
});

export const executionPerformance = executionContract({
  suffix: "/performance",
  summary: "Success rate, failures by workflow and by hour of day",
  response: { name: "ExecutionPerformanceResponse", schema: PerformanceMetrics },
  csv: true,
});

export const executionPatterns = executionContract({
  suffix: "/patterns",
  summary: "Timeline, bursts, and hourly anomalies against a trailing robust baseline",
  response: { name: "ExecutionPatternsResponse", schema: PatternMetrics },
  csv: true,
});
