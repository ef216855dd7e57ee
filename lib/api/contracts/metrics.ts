/**
 * The metrics API's routes, for the OpenAPI document (lib/api/openapi.ts) and the
 * authorization test, which checks each route's answers against its declared access.
 */
import type { EndpointDoc } from "@/lib/api/endpoint-doc";
import { ExecutionMetricsParams } from "@/lib/metrics/execution/params";
import {
  ClientRangeQuery,
  EmptyQuery,
  HistoricalPathParams,
  HistoricalQuery,
  RangeQuery,
  RecentActivityQuery,
  SeriesQuery,
} from "@/lib/metrics/params";
import {
  AllClientsResponse,
  CoverageResponse,
  HistoricalResponse,
  OverviewResponse,
  RecentActivityResponse,
  SeriesResponse,
  SummaryResponse,
  WorkflowsResponse,
} from "@/lib/metrics/types";

const rangeNote = (defaultTimeframe: string) =>
  `Range: \`timeframe\` (1h, 6h, 24h, 7d, 30d, 90d; default ${defaultTimeframe}) or \`start\`/\`end\` (ISO 8601, end after start, at most 2 years). ` +
  "The rollup level is chosen by length (≤7d hourly, ≤90d daily, beyond monthly; a level past its retention moves up) unless `source` overrides it.";
const RANGE_NOTE = rangeNote("7d");

const EXECUTION_NOTE = "Sections of the execution dashboard; the same query string for each.";

export const METRICS_ENDPOINTS: EndpointDoc[] = [
  {
    path: "/api/v1/metrics/overview",
    tag: "metrics",
    summary: "Summary cards with comparison to the previous period, and a daily trend",
    description: `${RANGE_NOTE} Cached until the next sync. CSV: the daily trend.`,
    query: ClientRangeQuery,
    response: { name: "OverviewResponse", schema: OverviewResponse },
    csv: true,
    clientScoped: true,
    access: "viewer",
    example: { query: { clientId: ":client" } },
  },
  {
    path: "/api/v1/metrics/summary",
    tag: "metrics",
    summary: "Every metric over the range, from rollups",
    description: `${RANGE_NOTE} Cached until the next sync.`,
    query: ClientRangeQuery,
    response: { name: "SummaryResponse", schema: SummaryResponse },
    csv: true,
    clientScoped: true,
    access: "viewer",
    example: { query: { clientId: ":client" } },
  },
  {
    path: "/api/v1/metrics/series",
    tag: "metrics",
    summary: "Time series from rollups; every bucket of the range, missing ones null",
    description: `${RANGE_NOTE} \`granularity\` defaults to the source's; finer than the source is a 400. Cached until the next sync.`,
    query: SeriesQuery,
    response: { name: "SeriesResponse", schema: SeriesResponse },
    csv: true,
    clientScoped: true,
    access: "viewer",
    example: { query: { clientId: ":client" } },
  },
  {
    path: "/api/v1/metrics/live-summary",
    tag: "metrics",
    summary: "The summary computed from raw executions (not cached)",
    description: RANGE_NOTE,
    query: ClientRangeQuery,
    response: { name: "SummaryResponse", schema: SummaryResponse },
    csv: true,
    clientScoped: true,
    access: "viewer",
    example: { query: { clientId: ":client" } },
  },
  {
    path: "/api/v1/metrics/live-series",
    tag: "metrics",
    summary: "The series computed from raw executions (not cached)",
    description: RANGE_NOTE,
    query: SeriesQuery,
    response: { name: "SeriesResponse", schema: SeriesResponse },
    csv: true,
    clientScoped: true,
    access: "viewer",
    example: { query: { clientId: ":client" } },
  },
  {
    path: "/api/v1/metrics/recent-activity",
    tag: "metrics",
    summary: "The newest production executions",
    query: RecentActivityQuery,
    response: { name: "RecentActivityResponse", schema: RecentActivityResponse },
    csv: true,
    clientScoped: true,
    access: "viewer",
    example: { query: { clientId: ":client" } },
  },
  {
    path: "/api/v1/metrics/workflows",
    tag: "metrics",
    summary: "Performance table per workflow",
    description: `${RANGE_NOTE} Cached until the next sync.`,
    query: ClientRangeQuery,
    response: { name: "WorkflowsResponse", schema: WorkflowsResponse },
    csv: true,
    clientScoped: true,
    access: "viewer",
    example: { query: { clientId: ":client" } },
  },
  {
    path: "/api/v1/metrics/all",
    tag: "metrics",
    summary: "Operator overview of every client, with data freshness",
    description: `${RANGE_NOTE} Figures cached until the next sync; freshness per request.`,
    query: RangeQuery,
    response: { name: "AllClientsResponse", schema: AllClientsResponse },
    csv: true,
    access: "operator",
  },
  {
    path: "/api/v1/clients/{id}/historical",
    tag: "clients",
    summary: "Stored daily, weekly or monthly rollups of a client or one of its workflows",
    description:
      "Range as elsewhere (`source` does not apply: `period` picks the level); default the last 90 days (daily), 52 weeks (weekly) or 24 months (monthly).",
    query: HistoricalQuery,
    pathParams: HistoricalPathParams,
    response: { name: "HistoricalResponse", schema: HistoricalResponse },
    csv: true,
    clientScoped: true,
    access: "viewer",
    example: { pathParams: { id: ":client" } },
  },
  {
    path: "/api/v1/clients/{id}/coverage",
    tag: "clients",
    summary: "How much of the client's n8n history is held, and which executions are known to be missing",
    description:
      "From the coverage ledger: history start, newest execution, ids seen, ids missing (n8n answered 404: pruned, deleted or not visible to the key) with when they ran, ids not asked for yet, ids still to read after an interrupted sync, executions running now and the share collected. `range.missing`: missing ids whose time overlaps the range (default the last 30 days).",
    query: RangeQuery,
    pathParams: HistoricalPathParams,
    response: { name: "CoverageResponse", schema: CoverageResponse },
    clientScoped: true,
    access: "viewer",
    example: { pathParams: { id: ":client" } },
  },
  ...(
    [
      ["", "All execution sections in one answer"],
      ["/realtime", "Running and waiting executions now, queue depth, last sync's freshness"],
      ["/throughput", "Executions per minute, hour and day; peak; capacity use against the concurrency limit"],
      ["/latency", "Duration percentiles (p50–p99) from the histograms, and a distribution"],
      ["/performance", "Success rate, failures by workflow and by hour of day"],
      ["/patterns", "Timeline, bursts, and hourly anomalies against a trailing robust baseline"],
    ] as const
  ).map(([suffix, summary]): EndpointDoc => ({
    path: `/api/v1/metrics/execution${suffix}`,
    tag: "execution",
    summary,
    description: `${EXECUTION_NOTE} ${rangeNote("24h")}`,
    query: ExecutionMetricsParams,
    clientScoped: true,
    access: "viewer",
    example: { query: { clientId: ":client" } },
  })),
  {
    path: "/api/v1/health",
    tag: "system",
    summary: "Database, scheduler and freshness; per-client detail for operators; 503 when the database is down",
    query: EmptyQuery,
    access: "public",
  },
  {
    path: "/api/v1/openapi.json",
    tag: "system",
    summary: "This document",
    query: EmptyQuery,
    access: "public",
  },
];
