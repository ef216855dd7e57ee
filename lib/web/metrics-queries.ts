/**
 * One queryOptions per API query. The server prefetches these and the client leaves read
 * them with useSuspenseQuery: same object, same key, so the first paint needs no
 * browser round trip. The key holds the exact query string, so a changed range or
 * limit is a different cache entry.
 */
import type { LlmUsageTable } from "@/lib/metrics/llm-usage";
import { queryOptions, type QueryFunction } from "@tanstack/react-query";
import type { LlmUsageResponse } from "@/lib/metrics/llm-usage-types";
import type {
  LatencyMetrics,
  PatternMetrics,
  PerformanceMetrics,
  RealtimeMetrics,
  ThroughputMetrics,
} from "@/lib/metrics/execution/types";
import type {
  AllClientsResponse,
  CoverageResponse,
  OverviewResponse,
  RecentActivityResponse,
  SeriesResponse,
  WorkflowsResponse,
} from "@/lib/metrics/types";
import { apiPath, fetchJson, type ApiParams, type FetchContext } from "./fetch-json";
import { rangeApiParams, type DashboardQuery, type DashboardRange } from "./range";

export const METRICS_API = "/api/v1/metrics";

export type MetricsKey = readonly ["metrics", string, ApiParams];

function clientParams(q: DashboardQuery, extra: ApiParams): ApiParams {
  return { clientId: q.clientId, ...rangeApiParams(q.range), ...extra };
}

/** A query on `/api/v1/metrics/<endpoint>`; `ctx` only matters on the server, never in the key. */
export function metricsQuery<T>(endpoint: string, params: ApiParams, ctx?: FetchContext) {
  return queryOptions({
    queryKey: ["metrics", endpoint, params] as MetricsKey,
    queryFn: ({ signal }) => fetchJson<T>(`${METRICS_API}/${endpoint}`, params, ctx, signal),
  });
}

/** Any of the queries below, as the server's Prefetch takes them (their data types differ). */
export interface AnyMetricsQuery {
  queryKey: MetricsKey;
  queryFn?: QueryFunction<unknown, MetricsKey, never>;
}

/** The CSV download of the same answer: a plain link, so the browser handles the file. */
export function csvHref(endpoint: string, params: ApiParams): string {
  return apiPath(`${METRICS_API}/${endpoint}`, { ...params, format: "csv" });
}

/** The CSV of a client-scoped range endpoint. */
export const clientCsvHref = (endpoint: string, q: DashboardQuery, extra: ApiParams = {}) =>
  csvHref(endpoint, clientParams(q, extra));

/** The client's coverage, with the executions known to be missing within the range. */
export const coverageQuery = (q: DashboardQuery, ctx?: FetchContext) => {
  const params = rangeApiParams(q.range);
  const path = `/api/v1/clients/${q.clientId}/coverage`;
  return queryOptions({
    queryKey: ["metrics", `clients/${q.clientId}/coverage`, params] as MetricsKey,
    queryFn: ({ signal }) => fetchJson<CoverageResponse>(path, params, ctx, signal),
  });
};

export const overviewQuery = (q: DashboardQuery, ctx?: FetchContext) =>
  metricsQuery<OverviewResponse>("overview", clientParams(q, {}), ctx);

export const seriesQuery = (q: DashboardQuery, ctx?: FetchContext) =>
  metricsQuery<SeriesResponse>("series", clientParams(q, {}), ctx);

/** How many executions the overview's recent-activity list shows. */
export const RECENT_ACTIVITY_LIMIT = 10;

/** The newest executions whatever the range, so the key leaves the range out. */
export const recentActivityQuery = (clientId: number, limit: number, ctx?: FetchContext) =>
  metricsQuery<RecentActivityResponse>("recent-activity", { clientId, limit }, ctx);

export const workflowsQuery = (q: DashboardQuery, ctx?: FetchContext) =>
  metricsQuery<WorkflowsResponse>("workflows", clientParams(q, {}), ctx);

export const realtimeQuery = (q: DashboardQuery, ctx?: FetchContext) =>
  metricsQuery<RealtimeMetrics>("execution/realtime", clientParams(q, {}), ctx);

export const throughputQuery = (q: DashboardQuery, ctx?: FetchContext) =>
  metricsQuery<ThroughputMetrics>("execution/throughput", clientParams(q, {}), ctx);

export const latencyQuery = (q: DashboardQuery, ctx?: FetchContext) =>
  metricsQuery<LatencyMetrics>("execution/latency", clientParams(q, {}), ctx);

export const performanceQuery = (q: DashboardQuery, ctx?: FetchContext) =>
  metricsQuery<PerformanceMetrics>("execution/performance", clientParams(q, {}), ctx);

export const patternsQuery = (q: DashboardQuery, ctx?: FetchContext) =>
  metricsQuery<PatternMetrics>("execution/patterns", clientParams(q, {}), ctx);

/** The operator overview of every client (home page). */
export const allClientsQuery = (range: DashboardRange, ctx?: FetchContext) =>
  metricsQuery<AllClientsResponse>("all", rangeApiParams(range), ctx);

export const llmUsageQuery = (q: DashboardQuery, ctx?: FetchContext) =>
  metricsQuery<LlmUsageResponse>("llm-usage", clientParams(q, {}), ctx);

/** The llm-usage CSV tables: by workflow (the default), by model, or the cost series. */
/** The tables the llm-usage endpoint answers as CSV (`table=`). */
export type LlmCsvTable = LlmUsageTable;

export const llmUsageCsvHref = (q: DashboardQuery, table: LlmCsvTable = "workflow") =>
  clientCsvHref("llm-usage", q, table === "workflow" ? {} : { table });
