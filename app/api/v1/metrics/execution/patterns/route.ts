import { apiRoute } from "@/lib/api/handler";
import { ExecutionMetricsParams, getPatternMetrics, patternsCsv, toExecutionQuery } from "@/lib/metrics/execution";

/** GET /api/v1/metrics/execution/patterns; format=csv gives the anomalies (PatternMetrics). */
export const GET = apiRoute({
  access: "viewer",
  client: (q) => q.clientId,
  query: ExecutionMetricsParams,
  handler: ({ db, query }) => getPatternMetrics(db, toExecutionQuery(query)),
  csv: patternsCsv,
  name: "execution-patterns",
});
