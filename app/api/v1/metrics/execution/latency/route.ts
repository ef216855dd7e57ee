import { executionLatency } from "@/lib/api/contracts/metrics";
import { apiRoute } from "@/lib/api/handler";
import { getLatencyMetrics, latencyCsv, toExecutionQuery } from "@/lib/metrics/execution";

/** GET /api/v1/metrics/execution/latency; format=csv gives the distribution (LatencyMetrics). */
export const GET = apiRoute(executionLatency, {
  handler: ({ db, query }) => getLatencyMetrics(db, toExecutionQuery(query)),
  csv: latencyCsv,
  name: "execution-latency",
});
