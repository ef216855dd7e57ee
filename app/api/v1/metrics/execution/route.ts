import { apiRoute } from "@/lib/api/handler";
import { ExecutionMetricsParams, getExecutionMetrics, toExecutionQuery } from "@/lib/metrics/execution";

/** GET /api/v1/metrics/execution: every section at once (ExecutionMetrics). */
export const GET = apiRoute({
  access: "viewer",
  client: (q) => q.clientId,
  query: ExecutionMetricsParams,
  handler: ({ db, query }) => getExecutionMetrics(db, toExecutionQuery(query)),
});
