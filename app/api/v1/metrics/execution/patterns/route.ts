import { executionPatterns } from "@/lib/api/contracts/metrics";
import { apiRoute } from "@/lib/api/handler";
import { getPatternMetrics, patternsCsv, toExecutionQuery } from "@/lib/metrics/execution";

/** GET /api/v1/metrics/execution/patterns; format=csv gives the anomalies (PatternMetrics). */
export const GET = apiRoute(executionPatterns, {
  handler: ({ db, query }) => getPatternMetrics(db, toExecutionQuery(query)),
  csv: patternsCsv,
  name: "execution-patterns",
});
