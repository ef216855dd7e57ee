import { apiRoute } from "@/lib/api/handler";
import { ExecutionMetricsParams, getThroughputMetrics, throughputCsv, toExecutionQuery } from "@/lib/metrics/execution";

/** GET /api/v1/metrics/execution/throughput; format=csv gives the series (ThroughputMetrics). */
export const GET = apiRoute({
  access: "viewer",
  client: (q) => q.clientId,
  query: ExecutionMetricsParams,
  handler: ({ db, query }) => getThroughputMetrics(db, toExecutionQuery(query)),
  csv: throughputCsv,
  name: "execution-throughput",
});
