/**
 * One queryOptions per API query, read by the client leaves with useSuspenseQuery. The
 * server prefetches the same keys without HTTP (server-queries.ts calls the lib functions
 * the routes call), so the first paint needs no browser round trip. The key holds the
 * exact query string, so a changed range or limit is a different cache entry.
 */
import type { LlmUsageTable } from "@/lib/metrics/llm-usage";
import { queryOptions } from "@tanstack/react-query";
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
  ExplorerResponse,
  TopErrorsResponse,
  OverviewResponse,
  RecentActivityResponse,
  SeriesResponse,
  WorkflowsResponse,
} from "@/lib/metrics/types";
import { explorerApiParams, type ExplorerFilters } from "./explorer-search";
import { apiPath, fetchJson, type ApiParams } from "./fetch-json";
import { rangeApiParams, type DashboardQuery, type DashboardRange } from "./range";

export const METRICS_API = "/api/v1/metrics";

export type MetricsKey = readonly ["metrics", string, ApiParams];

function clientParams(q: DashboardQuery, extra: ApiParams): ApiParams {
  return { clientId: q.clientId, ...rangeApiParams(q.range, q.timeZone), ...extra };
}

/** A query on `/api/v1/metrics/<endpoint>`. */
export function metricsQuery<T>(endpoint: string, params: ApiParams) {
  return queryOptions({
    queryKey: ["metrics", endpoint, params] as MetricsKey,
    queryFn: ({ signal }) => fetchJson<T>(`${METRICS_API}/${endpoint}`, params, signal),
  });
}

/** The CSV download of the same answer: a plain link, so the browser handles the file. */
export function csvHref(endpoint: string, params: ApiParams): string {
  return apiPath(`${METRICS_API}/${endpoint}`, { ...params, format: "csv" });
}

/** The CSV of a client-scoped range endpoint. */
export const clientCsvHref = (endpoint: string, q: DashboardQuery, extra: ApiParams = {}) =>
  csvHref(endpoint, clientParams(q, extra));

/** The client's coverage, with the executions known to be missing within the range. */
export const coverageQuery = (q: DashboardQuery) => {
  const params = rangeApiParams(q.range, q.timeZone);
  const path = `/api/v1/clients/${q.clientId}/coverage`;
  return queryOptions({
    queryKey: ["metrics", `clients/${q.clientId}/coverage`, params] as MetricsKey,
    queryFn: ({ signal }) => fetchJson<CoverageResponse>(path, params, signal),
  });
};

export const overviewQuery = (q: DashboardQuery) => metricsQuery<OverviewResponse>("overview", clientParams(q, {}));

/** The client's series, or one workflow's (the drill-down) when `workflowId` is given. */
export const seriesQuery = (q: DashboardQuery, workflowId?: number) =>
  metricsQuery<SeriesResponse>("series", clientParams(q, { workflowId }));

/** How many executions the overview's recent-activity list shows. */
export const RECENT_ACTIVITY_LIMIT = 10;

/** The newest executions whatever the range, so the key leaves the range out. */
export const recentActivityQuery = (clientId: number, limit: number) =>
  metricsQuery<RecentActivityResponse>("recent-activity", { clientId, limit });

/** How many error groups the Runs tab lists. */
export const TOP_ERRORS_LIMIT = 8;

/** The client's top errors over the range. */
export const topErrorsQuery = (q: DashboardQuery, workflowId?: number) =>
  metricsQuery<TopErrorsResponse>("errors", clientParams(q, { workflowId, limit: TOP_ERRORS_LIMIT }));

/** One page of the executions explorer: the range, the filters, and the cursor of the page before (none for the newest). */
export const explorerQuery = (q: DashboardQuery, filters: ExplorerFilters, cursor?: string) =>
  metricsQuery<ExplorerResponse>("executions", clientParams(q, { ...explorerApiParams(filters), cursor }));

export const workflowsQuery = (q: DashboardQuery) => metricsQuery<WorkflowsResponse>("workflows", clientParams(q, {}));

export const realtimeQuery = (q: DashboardQuery) =>
  metricsQuery<RealtimeMetrics>("execution/realtime", clientParams(q, {}));

export const throughputQuery = (q: DashboardQuery) =>
  metricsQuery<ThroughputMetrics>("execution/throughput", clientParams(q, {}));

export const latencyQuery = (q: DashboardQuery) =>
  metricsQuery<LatencyMetrics>("execution/latency", clientParams(q, {}));

export const performanceQuery = (q: DashboardQuery) =>
  metricsQuery<PerformanceMetrics>("execution/performance", clientParams(q, {}));

export const patternsQuery = (q: DashboardQuery) =>
  metricsQuery<PatternMetrics>("execution/patterns", clientParams(q, {}));

/** The operator overview of every client (home page). */
export const allClientsQuery = (range: DashboardRange) =>
  metricsQuery<AllClientsResponse>("all", rangeApiParams(range));

export const llmUsageQuery = (q: DashboardQuery) => metricsQuery<LlmUsageResponse>("llm-usage", clientParams(q, {}));

/** The llm-usage CSV tables: by workflow (the default), by model, or the cost series. */
/** The tables the llm-usage endpoint answers as CSV (`table=`). */
export type LlmCsvTable = LlmUsageTable;

export const llmUsageCsvHref = (q: DashboardQuery, table: LlmCsvTable = "workflow") =>
  clientCsvHref("llm-usage", q, table === "workflow" ? {} : { table });
