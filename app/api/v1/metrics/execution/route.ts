import { executionAll } from "@/lib/api/contracts/metrics";
import { apiRoute } from "@/lib/api/handler";
import { getExecutionMetrics, toExecutionQuery } from "@/lib/metrics/execution";

/** GET /api/v1/metrics/execution: every section at once (ExecutionMetrics). */
export const GET = apiRoute(executionAll, {
  handler: ({ db, query }) => getExecutionMetrics(db, toExecutionQuery(query)),
});
