import { apiRoute } from "@/lib/api/handler";
import {
  ExecutionMetricsParams,
  getPerformanceMetrics,
  performanceCsv,
  toExecutionQuery,
} from "@/lib/metrics/execution";

/** GET /api/v1/metrics/execution/performance; format=csv gives failures by workflow (PerformanceMetrics). */
export const GET = apiRoute({
  access: "viewer",
  client: (q) => q.clientId,
  query: ExecutionMetricsParams,
  handler: ({ db, query }) => getPerformanceMetrics(db, toExecutionQuery(query)),
  csv: performanceCsv,
  name: "execution-performance",
});
