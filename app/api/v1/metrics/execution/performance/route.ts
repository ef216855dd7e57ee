import { executionPerformance } from "@/lib/api/contracts/metrics";
import { apiRoute } from "@/lib/api/handler";
import { getPerformanceMetrics, performanceCsv, toExecutionQuery } from "@/lib/metrics/execution";

/** GET /api/v1/metrics/execution/performance; format=csv gives failures by workflow (PerformanceMetrics). */
export const GET = apiRoute(executionPerformance, {
  handler: ({ db, query }) => getPerformanceMetrics(db, toExecutionQuery(query)),
  csv: performanceCsv,
  name: "execution-performance",
});
