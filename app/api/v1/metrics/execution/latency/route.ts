import { apiRoute } from "@/lib/api/handler";
import { ExecutionMetricsParams, getLatencyMetrics, latencyCsv, toExecutionQuery } from "@/lib/metrics/execution";

/** GET /api/v1/metrics/execution/latency; format=csv gives the distribution (LatencyMetrics). */
export const GET = apiRoute({
  access: "viewer",
  client: (q) => q.clientId,
  query: ExecutionMetricsParams,
  handler: ({ db, query }) => getLatencyMetrics(db, toExecutionQuery(query)),
  csv: latencyCsv,
  name: "execution-latency",
});
