import type { Db } from "@/lib/db/database";
import { loadClient, rangeInfo } from "./context";
import { getLatencyMetrics } from "./latency";
import { getPatternMetrics } from "./patterns";
import { getPerformanceMetrics } from "./performance";
import { getRealtimeMetrics } from "./realtime";
import { getThroughputMetrics } from "./throughput";
import type { ExecutionMetrics, ExecutionQuery } from "./types";

/** Every section of the execution dashboard in one answer; the client is checked (404) first. */
export async function getExecutionMetrics(db: Db, query: ExecutionQuery): Promise<ExecutionMetrics> {
  const q = { ...query, now: query.now ?? new Date() };
  const client = await loadClient(db, q.clientId);
  const [realtime, throughput, latency, performance, patterns] = await Promise.all([
    getRealtimeMetrics(db, { ...q, client }),
    getThroughputMetrics(db, { ...q, client }),
    getLatencyMetrics(db, { ...q, client }),
    getPerformanceMetrics(db, { ...q, client }),
    getPatternMetrics(db, { ...q, client }),
  ]);
  return { clientId: q.clientId, range: rangeInfo(q.range), realtime, throughput, latency, performance, patterns };
}

export { getLatencyMetrics, latencyCsv, latencyDistribution, LATENCY_BANDS } from "./latency";
export { getPatternMetrics, patternsCsv, PATTERN_SETTINGS } from "./patterns";
export { getPerformanceMetrics, performanceCsv } from "./performance";
export { getFreshness, getRealtimeMetrics, queueSeverity, queueThresholds } from "./realtime";
export { getThroughputMetrics, throughputCsv } from "./throughput";
export { findBursts, findOutliers, robustBaseline, robustZ } from "./detect";
export { ExecutionMetricsParams, toExecutionQuery } from "./params";
export { BASELINES } from "./types";
export type * from "./types";
