import type { Db } from "@/lib/db/database";
import { cachedQuery } from "@/lib/metrics/cache";
import { loadClient, rangeInfo, sectionCalendar, withinHourlyRetention, type SectionQuery } from "./context";
import { getLatencyMetrics as latencySection } from "./latency";
import { getPatternMetrics as patternsSection } from "./patterns";
import { getPerformanceMetrics as performanceSection } from "./performance";
import { getRealtimeMetrics } from "./realtime";
import { getThroughputMetrics as throughputSection } from "./throughput";
import type { ExecutionMetrics, ExecutionQuery } from "./types";

/**
 * A rollup-backed section through the data-versioned cache, keyed by its resolved range
 * (relative ranges resolve against the minute, params.ts), baseline and whether hour
 * rows still hold it. Realtime is not cached: it shows executions running now.
 */
function cachedSection<T>(name: string, section: (db: Db, q: SectionQuery) => Promise<T>) {
  return (db: Db, q: SectionQuery): Promise<T> =>
    cachedQuery(
      db,
      {
        endpoint: `execution/${name}`,
        clientId: q.clientId,
        params: {
          range: rangeInfo(q.range),
          baseline: q.baseline ?? "trailing",
          // Sections read raw rows instead of hour rows once retention took the hours.
          hourly: withinHourlyRetention(q.range.start, q.now ?? new Date()),
        },
      },
      () => section(db, q),
    );
}

export const getThroughputMetrics = cachedSection("throughput", throughputSection);
export const getLatencyMetrics = cachedSection("latency", latencySection);
export const getPerformanceMetrics = cachedSection("performance", performanceSection);
export const getPatternMetrics = cachedSection("patterns", patternsSection);

/** Every section of the execution dashboard in one answer; the client is checked (404) first. */
export async function getExecutionMetrics(db: Db, query: ExecutionQuery): Promise<ExecutionMetrics> {
  const q = { ...query, now: query.now ?? new Date() };
  const client = await loadClient(db, q.clientId);
  const calendar = await sectionCalendar(db, q);
  const [realtime, throughput, latency, performance, patterns] = await Promise.all([
    getRealtimeMetrics(db, { ...q, client }),
    getThroughputMetrics(db, { ...q, client, calendar }),
    getLatencyMetrics(db, { ...q, client, calendar }),
    getPerformanceMetrics(db, { ...q, client, calendar }),
    getPatternMetrics(db, { ...q, client, calendar }),
  ]);
  return { clientId: q.clientId, range: rangeInfo(q.range), realtime, throughput, latency, performance, patterns };
}

export { latencyCsv, latencyDistribution, LATENCY_BANDS } from "./latency";
export { patternsCsv, PATTERN_SETTINGS } from "./patterns";
export { performanceCsv } from "./performance";
export { getFreshness, getRealtimeMetrics, queueSeverity, queueThresholds } from "./realtime";
export { throughputCsv } from "./throughput";
export { findBursts, findOutliers, robustBaseline, robustZ } from "./detect";
export { ExecutionMetricsParams, toExecutionQuery } from "./params";
export { BASELINES } from "./types";
export type * from "./types";
