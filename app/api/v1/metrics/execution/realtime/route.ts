import { apiRoute } from "@/lib/api/handler";
import { ExecutionMetricsParams, getRealtimeMetrics, toExecutionQuery } from "@/lib/metrics/execution";

/** GET /api/v1/metrics/execution/realtime: running, waiting and queued now (RealtimeMetrics). */
export const GET = apiRoute({
  access: "viewer",
  client: (q) => q.clientId,
  query: ExecutionMetricsParams,
  handler: ({ db, query }) => getRealtimeMetrics(db, toExecutionQuery(query)),
});
