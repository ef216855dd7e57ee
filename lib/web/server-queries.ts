import "server-only";
import type { DataTag } from "@tanstack/react-query";
import type { z } from "zod";
import { authorize, type Access } from "@/lib/accounts/access";
import { currentViewer } from "@/lib/accounts/page-guard";
import type { Contract } from "@/lib/api/contract";
import { clientOf } from "@/lib/api/handler";
import { adminModelPrices, adminPricesInForce, metricsLlmUsage } from "@/lib/api/contracts/llm";
import { listPricesInForce, type PricesInForceResponse } from "@/lib/api/prices-in-force";
import {
  clientCoverage,
  executionLatency,
  executionPatterns,
  executionPerformance,
  executionRealtime,
  executionThroughput,
  metricsAllClients,
  metricsErrors,
  metricsExecutions,
  metricsOverview,
  metricsRecentActivity,
  metricsSeries,
  metricsWorkflows,
} from "@/lib/api/contracts/metrics";
import { parseInput } from "@/lib/core/validation";
import { getDb, type Db } from "@/lib/db/database";
import { getAllClientsOverview } from "@/lib/metrics/all-clients";
import { getCoverage } from "@/lib/metrics/coverage";
import { getTopErrors } from "@/lib/metrics/errors";
import { listExecutions } from "@/lib/metrics/explorer";
import {
  getLatencyMetrics,
  getPatternMetrics,
  getPerformanceMetrics,
  getRealtimeMetrics,
  getThroughputMetrics,
  toExecutionQuery,
} from "@/lib/metrics/execution";
import { getLlmUsage } from "@/lib/metrics/llm-usage";
import { ModelPricesResponse, type ModelPrice } from "@/lib/metrics/llm-usage-types";
import { listModelPrices } from "@/lib/metrics/model-prices";
import { getOverview } from "@/lib/metrics/overview";
import { rangeOf } from "@/lib/metrics/params";
import { getRecentActivity } from "@/lib/metrics/recent-activity";
import { getSeries } from "@/lib/metrics/series";
import { getWorkflowPerformance } from "@/lib/metrics/workflows";
import type { ApiParams } from "./fetch-json";
import {
  allClientsQuery,
  coverageQuery,
  explorerQuery,
  topErrorsQuery,
  latencyQuery,
  llmUsageQuery,
  overviewQuery,
  patternsQuery,
  performanceQuery,
  realtimeQuery,
  recentActivityQuery,
  seriesQuery,
  throughputQuery,
  workflowsQuery,
} from "./metrics-queries";
import type { ExplorerFilters } from "./explorer-search";
import type { DashboardQuery, DashboardRange } from "./range";

/**
 * Server prefetch without HTTP: each query below has the browser query's key and answers
 * it by calling the lib function its API route calls, with the query string parsed by the
 * route's contract. The answer goes through JSON, as the API's does (Dates become ISO
 * strings), so the hydrated cache holds what the browser would have fetched.
 *
 * Pages call these only after their guard: the dashboard tabs through
 * getDashboardClient (viewer, scoped to the client), the overview with
 * requirePageViewer("operator"), the price page with requirePageViewer("admin"), the same
 * access as the contracts. Each query checks the contract's access again anyway, with the
 * same rule as the API; a refusal, like any error, only fails the prefetch.
 */
export interface ServerQuery {
  queryKey: readonly unknown[];
  queryFn: () => Promise<unknown>;
}

/** A browser query option: its key (with the query string at [2]) and the data type it tags. */
type BrowserQuery<T> = { queryKey: DataTag<readonly [string, string, ApiParams?], T, unknown> };

/** The query string as the route reads it: text values, undefined ones left out. */
function asQueryString(params: ApiParams = {}): Record<string, string> {
  return Object.fromEntries(
    Object.entries(params).flatMap(([key, value]) => (value === undefined ? [] : [[key, String(value)]])),
  );
}

function serverQuery<T, QS extends z.ZodType, PS extends z.ZodType>(
  browser: BrowserQuery<T>,
  contract: Contract<Access, QS, PS>,
  load: (input: { db: Db; query: z.infer<QS>; params: z.infer<PS> }) => Promise<T>,
  path: Record<string, string> = {},
): ServerQuery {
  const queryKey = browser.queryKey;
  const queryFn = async () => {
    // As apiRoute parses them: a contract without a query or path schema gets them as they are.
    const query = (
      contract.query ? parseInput(contract.query, asQueryString(queryKey[2]), "query") : {}
    ) as z.infer<QS>;
    const params = (contract.pathParams ? parseInput(contract.pathParams, path, "path") : path) as z.infer<PS>;
    authorize(await currentViewer(), contract.access, clientOf(contract, query, params));
    const answer = await load({ db: await getDb(), query, params });
    return JSON.parse(JSON.stringify(answer)) as unknown;
  };
  return { queryKey, queryFn };
}

export const overviewServerQuery = (q: DashboardQuery) =>
  serverQuery(overviewQuery(q), metricsOverview, ({ db, query }) =>
    getOverview(db, { clientId: query.clientId, range: rangeOf(query) }),
  );

export const coverageServerQuery = (q: DashboardQuery) =>
  serverQuery(
    coverageQuery(q),
    clientCoverage,
    ({ db, query, params }) => getCoverage(db, { clientId: params.id, range: rangeOf(query) }),
    { id: String(q.clientId) },
  );

export const seriesServerQuery = (q: DashboardQuery, workflowId?: number) =>
  serverQuery(seriesQuery(q, workflowId), metricsSeries, ({ db, query }) =>
    getSeries(db, {
      clientId: query.clientId,
      range: rangeOf(query),
      granularity: query.granularity,
      workflowId: query.workflowId,
    }),
  );

export const recentActivityServerQuery = (clientId: number, limit: number) =>
  serverQuery(recentActivityQuery(clientId, limit), metricsRecentActivity, ({ db, query }) =>
    getRecentActivity(db, { clientId: query.clientId, limit: query.limit }),
  );

export const topErrorsServerQuery = (q: DashboardQuery, workflowId?: number) =>
  serverQuery(topErrorsQuery(q, workflowId), metricsErrors, ({ db, query }) =>
    getTopErrors(db, {
      clientId: query.clientId,
      range: rangeOf(query),
      workflowId: query.workflowId,
      limit: query.limit,
    }),
  );

/** The explorer's newest page for the range and filters. */
export const explorerServerQuery = (q: DashboardQuery, filters: ExplorerFilters) =>
  serverQuery(explorerQuery(q, filters), metricsExecutions, ({ db, query }) => listExecutions(db, query));

export const workflowsServerQuery = (q: DashboardQuery) =>
  serverQuery(workflowsQuery(q), metricsWorkflows, ({ db, query }) =>
    getWorkflowPerformance(db, { clientId: query.clientId, range: rangeOf(query) }),
  );

export const realtimeServerQuery = (q: DashboardQuery) =>
  serverQuery(realtimeQuery(q), executionRealtime, ({ db, query }) => getRealtimeMetrics(db, toExecutionQuery(query)));

export const throughputServerQuery = (q: DashboardQuery) =>
  serverQuery(throughputQuery(q), executionThroughput, ({ db, query }) =>
    getThroughputMetrics(db, toExecutionQuery(query)),
  );

export const latencyServerQuery = (q: DashboardQuery) =>
  serverQuery(latencyQuery(q), executionLatency, ({ db, query }) => getLatencyMetrics(db, toExecutionQuery(query)));

export const performanceServerQuery = (q: DashboardQuery) =>
  serverQuery(performanceQuery(q), executionPerformance, ({ db, query }) =>
    getPerformanceMetrics(db, toExecutionQuery(query)),
  );

export const patternsServerQuery = (q: DashboardQuery) =>
  serverQuery(patternsQuery(q), executionPatterns, ({ db, query }) => getPatternMetrics(db, toExecutionQuery(query)));

export const allClientsServerQuery = (range: DashboardRange) =>
  serverQuery(allClientsQuery(range), metricsAllClients, ({ db, query }) =>
    getAllClientsOverview(db, { range: rangeOf(query) }),
  );

export const llmUsageServerQuery = (q: DashboardQuery) =>
  serverQuery(llmUsageQuery(q), metricsLlmUsage, ({ db, query }) =>
    getLlmUsage(db, { clientId: query.clientId, range: rangeOf(query) }),
  );

/**
 * The admin price list. Its browser query lives in components/ (which lib/ may not
 * import), so the page passes it in: `modelPricesServerQuery(modelPricesQuery())`. The
 * browser keeps the `prices` of the parsed answer; so does this.
 */
export const modelPricesServerQuery = (browser: BrowserQuery<ModelPrice[]>) =>
  serverQuery(browser, adminModelPrices, async ({ db }) => ModelPricesResponse.parse(await listModelPrices(db)).prices);

/** The admin price page's prices in force; its browser query lives in components/, like the list's. */
export const pricesInForceServerQuery = (browser: BrowserQuery<PricesInForceResponse>) =>
  serverQuery(browser, adminPricesInForce, ({ db }) => listPricesInForce(db));
